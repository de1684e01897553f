import { Tag } from 'antd';
import type { AccountChangeStatus, CheckResult, VerificationStatus } from '../../api/correction';
import { useT } from '../../i18n';
import { correctionText } from '../documents/texts';

const STATUS_COLOURS: Record<AccountChangeStatus, string> = {
  pending_documents: 'gold',
  pending_approval: 'blue',
  pending_verification: 'processing',
  completed: 'green',
  rejected: 'red',
  locked: 'volcano',
  cancelled: 'default',
};

export function AccountChangeStatusTag({ status }: { status: AccountChangeStatus }) {
  const i18n = useT();
  return (
    <Tag color={STATUS_COLOURS[status] ?? 'default'}>
      {correctionText(i18n, 'changeStatus', status)}
    </Tag>
  );
}

const CHECK_COLOURS: Record<CheckResult, string> = { pass: 'green', warn: 'gold', fail: 'red' };

export function CheckResultTag({ result }: { result: CheckResult }) {
  const i18n = useT();
  return (
    <Tag color={CHECK_COLOURS[result] ?? 'default'}>
      {correctionText(i18n, 'checkResult', result)}
    </Tag>
  );
}

const VERIFICATION_COLOURS: Record<VerificationStatus, string> = {
  awaiting_file: 'blue',
  sent: 'processing',
  paid: 'processing',
  returned: 'red',
  awaiting_transaction: 'blue',
  matched: 'green',
  confirmed: 'green',
  locked: 'volcano',
  cancelled: 'default',
};

export function VerificationStatusTag({ status }: { status: VerificationStatus }) {
  const i18n = useT();
  return (
    <Tag color={VERIFICATION_COLOURS[status] ?? 'default'}>
      {correctionText(i18n, 'verificationStatus', status)}
    </Tag>
  );
}

/** Needs two approvers who are neither the requester (name mismatch, open incident…). */
export function HighRiskTag() {
  const { t } = useT();
  return <Tag color="red">{t('correction.change.highRisk')}</Tag>;
}
