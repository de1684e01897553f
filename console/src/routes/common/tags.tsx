import { Tag, Tooltip } from 'antd';
import type {
  AccountStatus,
  MerchantStatus,
  MerchantType,
  NameCheckResult,
  TerminalStatus,
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
