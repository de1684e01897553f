import { Card, Flex, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import { transactionApi } from '../../api/endpoints';
import { DECISIONS } from '../../api/types';
import type { Transaction } from '../../api/types';
import { useT } from '../../i18n';
import { FilterBar, SearchFilter, SelectFilter } from '../common/FilterBar';
import { CursorTable } from '../common/CursorTable';
import { Identifier } from '../common/Identifier';
import { formatFen } from '../common/money';
import { oneOf, useUrlFilter } from '../common/search-params';
import { DecisionTag, RuleName, TransactionStatusTag } from '../common/tags';
import { useCursorList } from '../common/use-cursor-list';
import { merchantPath } from '../merchants/MerchantListPage';
import { terminalPath } from '../terminals/TerminalListPage';

const FILTER_KEYS = ['merchantNo', 'terminalId', 'decision'] as const;

export function TransactionListPage() {
  const { t, tCode, formatDateTime } = useT();
  const [filter, setFilter] = useUrlFilter(FILTER_KEYS);
  const decision = oneOf(DECISIONS, filter.decision);
  const query = {
    merchantNo: filter.merchantNo || undefined,
    terminalId: filter.terminalId.toUpperCase() || undefined,
    decision,
  };

  const list = useCursorList(JSON.stringify(query), (cursor, signal) =>
    transactionApi.list(query, cursor, signal),
  );

  const none = t('common.none');
  const columns: TableColumnsType<Transaction> = [
    {
      title: t('transactions.col.time'),
      dataIndex: 'occurredAt',
      render: (value: string) => <Identifier>{formatDateTime(value)}</Identifier>,
    },
    {
      title: t('transactions.col.id'),
      dataIndex: 'id',
      render: (value: string) => (
        <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
          {value}
        </Typography.Text>
      ),
    },
    {
      title: t('transactions.col.type'),
      dataIndex: 'type',
      render: (value: string) => (
        <Identifier>{tCode('transactionType', value) ?? value}</Identifier>
      ),
    },
    {
      title: t('transactions.col.amount'),
      key: 'amount',
      align: 'right',
      render: (_: unknown, record) => (
        <Identifier>{formatFen(record.amountFen, record.currency)}</Identifier>
      ),
    },
    {
      title: t('transactions.col.card'),
      dataIndex: 'panMasked',
      render: (value: string | null) => (value === null ? none : <Identifier>{value}</Identifier>),
    },
    {
      title: t('transactions.col.terminal'),
      dataIndex: 'terminalId',
      render: (value: string) => (
        <Link to={terminalPath(value)} style={{ whiteSpace: 'nowrap' }}>
          {value}
        </Link>
      ),
    },
    {
      title: t('transactions.col.merchant'),
      dataIndex: 'merchantNo',
      render: (value: string) => (
        <Link to={merchantPath(value)} style={{ whiteSpace: 'nowrap' }}>
          {value}
        </Link>
      ),
    },
    {
      title: t('transactions.col.status'),
      dataIndex: 'status',
      render: (value: Transaction['status']) => <TransactionStatusTag status={value} />,
    },
    {
      title: t('transactions.col.decision'),
      dataIndex: 'decision',
      render: (value: Transaction['decision']) => <DecisionTag decision={value} />,
    },
    {
      title: t('transactions.col.alerts'),
      dataIndex: 'alerts',
      render: (value: string[]) =>
        value.length === 0 ? (
          none
        ) : (
          <Flex vertical gap={2} style={{ minWidth: 120 }}>
            {value.map((rule) => (
              <RuleName key={rule} rule={rule} />
            ))}
          </Flex>
        ),
    },
  ];

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 20, marginTop: 0 }}>
        {t('transactions.title')}
      </Typography.Title>
      <Card>
        <FilterBar>
          <SearchFilter
            id="transaction-merchant"
            label={t('transactions.merchantNo')}
            placeholder={t('transactions.merchantNoPlaceholder')}
            value={filter.merchantNo}
            onSearch={(value) => setFilter('merchantNo', value)}
            width={260}
          />
          <SearchFilter
            id="transaction-terminal"
            label={t('transactions.terminalId')}
            placeholder={t('transactions.terminalIdPlaceholder')}
            value={filter.terminalId}
            onSearch={(value) => setFilter('terminalId', value)}
            width={220}
          />
          <SelectFilter
            id="transaction-decision"
            label={t('transactions.decision')}
            value={decision}
            onChange={(value) => setFilter('decision', value)}
            options={DECISIONS.map((value) => ({ value, label: t(`decision.${value}`) }))}
            width={120}
          />
        </FilterBar>
        <CursorTable<Transaction>
          list={list}
          rowKey="id"
          size="middle"
          columns={columns}
          // Fixed rather than max-content: the rule names wrap instead of widening the page.
          scroll={{ x: 1100 }}
          locale={{ emptyText: t('transactions.empty') }}
        />
      </Card>
    </>
  );
}
