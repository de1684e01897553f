import { Flex, Tag, Typography } from 'antd';
import type { LineStatus, SettlementLine } from '../../api/types';
import { useT } from '../../i18n';

const LINE_STATUS_COLOURS: Record<LineStatus, string> = {
  ready: 'blue',
  held: 'red',
  carried: 'default',
  paid: 'green',
  returned: 'volcano',
};

export function LineStatusTag({ status }: { status: string }) {
  const { tCode } = useT();
  const colour = LINE_STATUS_COLOURS[status as LineStatus] as string | undefined;
  return <Tag color={colour ?? 'default'}>{tCode('lineStatus', status) ?? status}</Tag>;
}

/** A hold reason in the reader's language; a reason the console does not know by its code. */
export function useHoldReasonText(): (reason: string) => string {
  const { tCode } = useT();
  return (reason) => tCode('holdReason', reason) ?? reason;
}

/** Every reason a line is held, each as a tag. */
export function HoldReasonTags({ reasons }: { reasons: readonly string[] }) {
  const text = useHoldReasonText();
  return (
    <Flex gap={4} wrap>
      {reasons.map((reason) => (
        <Tag key={reason} color="orange">
          {text(reason)}
        </Tag>
      ))}
    </Flex>
  );
}

/** What happened to a line, in words: why it is held, the bank's return, when it was paid. */
export function LineExplanation({ line }: { line: SettlementLine }) {
  const { t, tCode, formatDateTime } = useT();
  const released =
    line.releaseId !== null ? <Tag color="green">{t('settlement.line.released')}</Tag> : null;
  if (line.status === 'held') {
    return (
      <Flex vertical gap={4} style={{ maxWidth: 420 }}>
        <HoldReasonTags
          reasons={line.holdReasons.length > 0 ? line.holdReasons : ['settlement_hold']}
        />
        {released}
      </Flex>
    );
  }
  if (line.status === 'returned') {
    const code = line.returnCode ?? 'other';
    return (
      <Flex vertical gap={4} style={{ maxWidth: 420, whiteSpace: 'normal' }}>
        <span>
          <Tag color="volcano">{tCode('returnCode', code) ?? code}</Tag>
          {line.returnedAt !== null && (
            <Typography.Text type="secondary">{formatDateTime(line.returnedAt)}</Typography.Text>
          )}
        </span>
        {line.returnText !== null && line.returnText !== '' && (
          <Typography.Text type="secondary">
            {t('settlement.line.bankText', { text: line.returnText })}
          </Typography.Text>
        )}
        {released}
      </Flex>
    );
  }
  if (line.status === 'paid' && line.paidAt !== null) {
    return <>{t('settlement.line.paidAt', { at: formatDateTime(line.paidAt) })}</>;
  }
  if (line.status === 'carried') return <>{t('settlement.line.carried')}</>;
  if (line.status === 'ready') return <>{t('settlement.line.ready')}</>;
  return null;
}
