import { UnlockOutlined } from '@ant-design/icons';
import { Button, Flex, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import type { SettlementLine } from '../../api/types';
import { useT } from '../../i18n';
import { CursorTable } from '../common/CursorTable';
import { Identifier } from '../common/Identifier';
import { formatFen } from '../common/money';
import type { CursorList } from '../common/use-cursor-list';
import { merchantPath } from '../merchants/MerchantListPage';
import { settlementRunPath } from './paths';
import { LineExplanation, LineStatusTag } from './settlement-tags';

/** Money a release can still take: held or returned, not released yet. */
export function isReleasable(line: SettlementLine): boolean {
  return (line.status === 'held' || line.status === 'returned') && line.releaseId === null;
}

/**
 * Settlement lines: the merchant (on a run's page) or the business date (on a merchant's page),
 * the money from the day's net to the amount paid, the status and why, and the account.
 */
export function SettlementLineTable(props: {
  list: CursorList<SettlementLine>;
  /** On a run's page: the merchant of each line; on a merchant's page: its business date. */
  show: 'merchant' | 'businessDate' | 'both';
  /** Link the business date to its run (staff who may read runs). */
  linkRuns?: boolean;
  emptyText: string;
  /** Offered on held and returned lines not yet released (admin, approver). */
  onRelease?: ((line: SettlementLine) => void) | undefined;
}) {
  const { t } = useT();
  const none = t('common.none');
  const columns: TableColumnsType<SettlementLine> = [];
  if (props.show !== 'merchant') {
    columns.push({
      title: t('settlement.line.businessDate'),
      dataIndex: 'businessDate',
      render: (value: string, record) =>
        props.linkRuns === true ? (
          <Link to={settlementRunPath(record.runId)}>
            <Identifier>{value}</Identifier>
          </Link>
        ) : (
          <Identifier>{value}</Identifier>
        ),
    });
  }
  if (props.show !== 'businessDate') {
    columns.push({
      title: t('settlement.line.merchant'),
      dataIndex: 'merchantNo',
      render: (value: string) => (
        <Link to={merchantPath(value)}>
          <Identifier>{value}</Identifier>
        </Link>
      ),
    });
  }
  columns.push(
    { title: t('settlement.line.transactions'), dataIndex: 'transactionCount', align: 'right' },
    {
      title: t('settlement.line.net'),
      dataIndex: 'netFen',
      align: 'right',
      render: (value: number, record) => (
        <Flex vertical align="flex-end">
          <Identifier>{formatFen(value)}</Identifier>
          {record.lateTransactionCount !== undefined && record.lateTransactionCount > 0 && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('settlement.line.late', {
                count: record.lateTransactionCount,
                amount: formatFen(record.lateNetFen ?? 0),
              })}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: t('settlement.line.fee'),
      dataIndex: 'feeFen',
      align: 'right',
      render: (value: number, record) => (
        <Flex vertical align="flex-end">
          <Identifier>{formatFen(value)}</Identifier>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('settlement.line.feeRate', { rate: formatRate(record.feeRatePpm) })}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('settlement.line.amount'),
      dataIndex: 'amountFen',
      align: 'right',
      render: (value: number, record) => (
        <Flex vertical align="flex-end">
          <Typography.Text strong>
            <Identifier>{formatFen(value)}</Identifier>
          </Typography.Text>
          {record.releasedInFen !== 0 && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('settlement.line.releasedIn', { amount: formatFen(record.releasedInFen) })}
            </Typography.Text>
          )}
          {record.carriedInFen !== 0 && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('settlement.line.carriedIn', { amount: formatFen(record.carriedInFen) })}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: t('settlement.line.status'),
      dataIndex: 'status',
      render: (value: string) => <LineStatusTag status={value} />,
    },
    {
      title: t('settlement.line.explanation'),
      key: 'explanation',
      render: (_: unknown, record) => <LineExplanation line={record} />,
    },
    {
      title: t('settlement.line.account'),
      key: 'account',
      render: (_: unknown, record) =>
        record.accountNumberMasked === null ? (
          none
        ) : (
          <Flex vertical>
            <Typography.Text code>{record.accountNumberMasked}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {[record.accountName, record.bankName]
                .filter((part) => part !== null && part !== '')
                .join(t('common.listSeparator'))}
            </Typography.Text>
          </Flex>
        ),
    },
  );
  const onRelease = props.onRelease;
  if (onRelease !== undefined) {
    columns.push({
      title: t('settlement.line.action'),
      key: 'action',
      render: (_: unknown, record) =>
        isReleasable(record) ? (
          <Button size="small" icon={<UnlockOutlined />} onClick={() => onRelease(record)}>
            {t('settlement.release.button')}
          </Button>
        ) : (
          none
        ),
    });
  }
  return (
    <CursorTable<SettlementLine>
      list={props.list}
      rowKey="id"
      size="small"
      columns={columns}
      locale={{ emptyText: props.emptyText }}
    />
  );
}

/** A fee rate in parts per million as a per-cent figure: 6,000 → "0.6%". */
export function formatRate(ppm: number): string {
  const whole = Math.floor(ppm / 10_000);
  const fraction = String(ppm % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return fraction === '' ? `${whole}%` : `${whole}.${fraction}%`;
}
