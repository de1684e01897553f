import { Tag } from 'antd';
import type { AffectedKind, RemediationAction, RemediationStatus } from '../../api/remediation';
import { useT } from '../../i18n';
import { knownKey } from '../incidents/texts';

/** A code of issue 6 in words, or as it came when the console does not know it. */
export function useRemediationText() {
  const { t } = useT();
  return (prefix: string, code: string): string => {
    const key = knownKey(`remediation.${prefix}.${code}`);
    return key === undefined ? code : t(key);
  };
}

const KIND_COLOURS: Record<AffectedKind, string> = {
  settled_to_wrong_account: 'red',
  payout_returned: 'orange',
  customer_saw_failure: 'gold',
};

export function AffectedKindTag({ kind }: { kind: AffectedKind }) {
  const text = useRemediationText();
  return <Tag color={KIND_COLOURS[kind] ?? 'default'}>{text('kind', kind)}</Tag>;
}

const ACTION_COLOURS: Record<RemediationAction, string> = {
  resettle: 'blue',
  recover: 'purple',
  refund: 'cyan',
  retransaction: 'geekblue',
};

export function ActionTag({ action }: { action: RemediationAction }) {
  const text = useRemediationText();
  return <Tag color={ACTION_COLOURS[action] ?? 'default'}>{text('action', action)}</Tag>;
}

const STATUS_COLOURS: Record<RemediationStatus, string> = {
  open: 'blue',
  in_progress: 'processing',
  done: 'green',
  cancelled: 'default',
};

export function RemediationStatusTag({ status }: { status: RemediationStatus }) {
  const text = useRemediationText();
  return <Tag color={STATUS_COLOURS[status] ?? 'default'}>{text('status', status)}</Tag>;
}
