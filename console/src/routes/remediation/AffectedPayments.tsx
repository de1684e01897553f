import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Segmented, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { AFFECTED_KINDS } from '../../api/remediation';
import type {
  AffectedKind,
  AffectedTransactions,
  AffectedTransaction,
} from '../../api/remediation';
import { useT } from '../../i18n';
import { Identifier } from '../common/Identifier';
import { formatFen } from '../common/money';
import { affectedKey, pagerFor, remediationsOf, totalsByKind } from './model';
import { ActionTag, AffectedKindTag, RemediationStatusTag, useRemediationText } from './tags';

type KindFilter = AffectedKind | 'all';

/**
 * The payments the incident touched, by kind: settled to the wrong account, payouts the bank
 * returned, payments the customer saw fail. Each row says what is done for it, or offers to
 * arrange it.
 */
export function AffectedPayments(props: {
  affected: AffectedTransactions | undefined;
  loading: boolean;
  /** Offers "arrange" on each row (workers, while the incident is not closed). */
  onArrange?: (payment: AffectedTransaction) => void;
}) {
  const { t, tCode, formatDateTime } = useT();
  const text = useRemediationText();
  const [filter, setFilter] = useState<KindFilter>('all');
  const items = props.affected?.items ?? [];
  const totals = props.affected === undefined ? undefined : totalsByKind(props.affected);
  const shown = filter === 'all' ? items : items.filter((item) => item.kind === filter);

  const columns: TableColumnsType<AffectedTransaction> = [
    {
      title: t('remediation.affected.col.kind'),
      dataIndex: 'kind',
      render: (kind: AffectedKind) => <AffectedKindTag kind={kind} />,
    },
    {
      title: t('remediation.affected.col.occurredAt'),
      dataIndex: 'occurredAt',
      render: (value: string) => <Identifier>{formatDateTime(value)}</Identifier>,
    },
    {
      title: t('remediation.affected.col.card'),
      dataIndex: 'panMasked',
      render: (value: string | null | undefined) => (
        <Identifier>{value ?? t('common.none')}</Identifier>
      ),
    },
    {
      title: t('remediation.affected.col.rrn'),
      key: 'rrn',
      render: (_: unknown, item) => (
        <Flex vertical>
          <Identifier>{item.rrn ?? t('common.none')}</Identifier>
          {item.stan ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('remediation.payment.stan', { stan: item.stan })}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('remediation.affected.col.terminal'),
      dataIndex: 'terminalId',
      render: (value: string | null | undefined) => (
        <Identifier>{value ?? t('common.none')}</Identifier>
      ),
    },
    {
      title: t('remediation.affected.col.amount'),
      dataIndex: 'amountFen',
      align: 'right',
      render: (value: number) => <Identifier>{formatFen(value)}</Identifier>,
    },
    {
      title: t('remediation.affected.col.account'),
      key: 'account',
      render: (_: unknown, item) => (
        <Flex vertical>
          <Identifier>{item.accountNumberMasked ?? t('common.none')}</Identifier>
          {item.lineStatus ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {tCode('lineStatus', item.lineStatus) ?? item.lineStatus}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('remediation.affected.col.remediation'),
      key: 'remediation',
      render: (_: unknown, item) => {
        const existing = remediationsOf(item);
        return (
          <Flex gap={6} wrap align="center" style={{ minWidth: 160, maxWidth: 300 }}>
            {existing.map((remediation) => (
              <span key={remediation.id} data-remediation={remediation.action}>
                <ActionTag action={remediation.action} />
                <RemediationStatusTag status={remediation.status} />
              </span>
            ))}
            {existing.length === 0 && props.onArrange === undefined && (
              <Typography.Text type="secondary">{t('remediation.affected.none')}</Typography.Text>
            )}
            {props.onArrange !== undefined && (
              <Button
                size="small"
                icon={<PlusOutlined />}
                aria-label={t('remediation.affected.arrangeFor', {
                  payment: item.rrn ?? item.lineId ?? item.transactionId ?? '',
                })}
                onClick={() => props.onArrange?.(item)}
              >
                {t('remediation.affected.arrange')}
              </Button>
            )}
          </Flex>
        );
      },
    },
  ];

  const remediated = props.affected?.totals?.remediated;
  const unremediated = props.affected?.totals?.unremediated;

  return (
    <Flex vertical gap={12}>
      {remediated !== undefined && unremediated !== undefined && (
        <Typography.Text type={unremediated > 0 ? 'warning' : 'secondary'}>
          {t('remediation.affected.progress', { remediated, unremediated })}
        </Typography.Text>
      )}
      <Segmented<KindFilter>
        value={filter}
        onChange={setFilter}
        aria-label={t('remediation.affected.filter')}
        options={[
          { value: 'all', label: t('remediation.affected.all', { count: items.length }) },
          ...AFFECTED_KINDS.map((kind) => ({
            value: kind,
            label: t('remediation.affected.kindCount', {
              kind: text('kind', kind),
              count: totals?.[kind].count ?? 0,
              amount: formatFen(totals?.[kind].amountFen ?? 0),
            }),
          })),
        ]}
      />
      <Table<AffectedTransaction>
        rowKey={affectedKey}
        size="small"
        columns={columns}
        dataSource={shown}
        loading={props.loading}
        pagination={pagerFor(shown.length)}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('remediation.affected.empty') }}
      />
    </Flex>
  );
}
