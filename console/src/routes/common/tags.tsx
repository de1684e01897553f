import { Tag, Tooltip } from 'antd';
import type {
  AccountStatus,
  AlertSeverity,
  Decision,
  IncidentSeverity,
  IncidentStatus,
  MerchantStatus,
  MerchantType,
  NameCheckResult,
  TerminalStatus,
  TransactionStatus,
} from '../../api/types';
import { useT } from '../../i18n';
import type { CodePrefix } from '../../i18n';

/** A code shown in words; a code the console does not know is shown as it came. */
function useCodeText(prefix: CodePrefix, code: string): string {
  const { tCode } = useT();
  return tCode(prefix, code) ?? code;
}

const NAME_CHECK_COLOURS: Record<NameCheckResult, string> = {
  match: 'green',
  close_match: 'orange',
  no_match: 'red',
};

export function NameCheckTag({ result }: { result: NameCheckResult | null }) {
  const { t } = useT();
  const text = useCodeText('nameCheck', result ?? 'unchecked');
  if (result === null) return <Tag>{t('nameCheck.unchecked')}</Tag>;
  return <Tag color={NAME_CHECK_COLOURS[result]}>{text}</Tag>;
}

const MERCHANT_STATUS_COLOURS: Record<MerchantStatus, string> = {
  active: 'green',
  suspended: 'orange',
  closed: 'default',
};

export function MerchantStatusTag({ status }: { status: MerchantStatus }) {
  const text = useCodeText('merchantStatus', status);
  return <Tag color={MERCHANT_STATUS_COLOURS[status]}>{text}</Tag>;
}

export function MerchantTypeText({ type }: { type: MerchantType }) {
  return <>{useCodeText('merchantType', type)}</>;
}

const ACCOUNT_STATUS_COLOURS: Record<AccountStatus, string> = {
  pending_verification: 'blue',
  active: 'green',
  errored: 'red',
  frozen: 'volcano',
  superseded: 'default',
};

export function AccountStatusTag({ status }: { status: AccountStatus | null }) {
  const { t } = useT();
  const text = useCodeText('accountStatus', status ?? '');
  if (status === null) return <Tag>{t('merchants.noAccount')}</Tag>;
  return <Tag color={ACCOUNT_STATUS_COLOURS[status]}>{text}</Tag>;
}

const TERMINAL_STATUS_COLOURS: Record<TerminalStatus, string> = {
  active: 'green',
  suspended: 'orange',
  retired: 'default',
};

export function TerminalStatusTag({
  status,
  reason,
}: {
  status: TerminalStatus;
  reason?: string | null;
}) {
  const { t } = useT();
  const text = useCodeText('terminalStatus', status);
  const tag = <Tag color={TERMINAL_STATUS_COLOURS[status]}>{text}</Tag>;
  if (reason === undefined || reason === null || reason === '') return tag;
  return <Tooltip title={t('common.reason', { reason })}>{tag}</Tooltip>;
}

const ALERT_SEVERITY_COLOURS: Record<AlertSeverity, string> = {
  low: 'blue',
  medium: 'gold',
  high: 'orange',
  critical: 'red',
};

export function AlertSeverityTag({ severity }: { severity: AlertSeverity }) {
  const text = useCodeText('alertSeverity', severity);
  return <Tag color={ALERT_SEVERITY_COLOURS[severity]}>{text}</Tag>;
}

const INCIDENT_SEVERITY_COLOURS: Record<IncidentSeverity, string> = {
  P1: 'red',
  P2: 'volcano',
  P3: 'gold',
  P4: 'blue',
};

export function IncidentSeverityTag({ severity }: { severity: IncidentSeverity }) {
  const text = useCodeText('incidentSeverity', severity);
  return <Tag color={INCIDENT_SEVERITY_COLOURS[severity]}>{text}</Tag>;
}

const INCIDENT_STATUS_COLOURS: Record<IncidentStatus, string> = {
  open: 'red',
  acknowledged: 'orange',
  contained: 'gold',
  investigating: 'processing',
  correcting: 'processing',
  verifying: 'processing',
  remediating: 'processing',
  resolved: 'green',
  closed: 'default',
};

export function IncidentStatusTag({ status }: { status: IncidentStatus }) {
  const text = useCodeText('incidentStatus', status);
  return <Tag color={INCIDENT_STATUS_COLOURS[status]}>{text}</Tag>;
}

const DECISION_COLOURS: Record<Decision, string> = {
  ok: 'green',
  review: 'gold',
  contain: 'red',
};

export function DecisionTag({ decision }: { decision: Decision }) {
  const text = useCodeText('decision', decision);
  return <Tag color={DECISION_COLOURS[decision]}>{text}</Tag>;
}

const TRANSACTION_STATUS_COLOURS: Record<TransactionStatus, string> = {
  approved: 'green',
  declined: 'default',
};

export function TransactionStatusTag({ status }: { status: TransactionStatus }) {
  const text = useCodeText('transactionStatus', status);
  return <Tag color={TRANSACTION_STATUS_COLOURS[status]}>{text}</Tag>;
}

/** A screening rule by its name, with what it checks on hover; an unknown rule by its code. */
export function RuleName({ rule }: { rule: string }) {
  const { tCode } = useT();
  const name = tCode('rule', rule) ?? rule;
  const description = tCode('ruleDescription', rule);
  if (description === undefined) return <span>{name}</span>;
  return (
    <Tooltip title={description}>
      <span>{name}</span>
    </Tooltip>
  );
}
