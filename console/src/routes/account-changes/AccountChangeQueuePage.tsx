import { Card, Flex, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { ACCOUNT_CHANGE_STATUSES, accountChangeApi } from '../../api/correction';
import type { AccountChange } from '../../api/correction';
import { useT } from '../../i18n';
import { CursorTable } from '../common/CursorTable';
import { FilterBar, SearchFilter, SelectFilter } from '../common/FilterBar';
import { Identifier } from '../common/Identifier';
import { oneOf, useUrlFilter } from '../common/search-params';
import { useCursorList } from '../common/use-cursor-list';
import { merchantPath } from '../merchants/MerchantListPage';
import { AccountChangeStatusTag, HighRiskTag } from './ChangeTags';
import { accountChangePath } from './paths';

const FILTER_KEYS = ['status', 'merchantNo'] as const;

/**
 * Settlement-account changes across merchants: what waits for documents, for approval (with the
 * approvals given of those needed) or for the merchant's verification. Filters live in the URL.
 */
export function AccountChangeQueuePage() {
  const { t, tCode, formatDateTime } = useT();
  const navigate = useNavigate();
  const [filter, setFilter] = useUrlFilter(FILTER_KEYS);
  const status = oneOf(ACCOUNT_CHANGE_STATUSES, filter.status);
  const query = { status, merchantNo: filter.merchantNo || undefined };
  const list = useCursorList(JSON.stringify(query), (cursor, signal) =>
    accountChangeApi.queue(query, cursor, signal),
  );

  const columns: TableColumnsType<AccountChange> = [
    {
      title: t('correction.changes.col.requestedAt'),
      dataIndex: 'requestedAt',
      render: (value: string, record) => (
        <Link to={accountChangePath(record.id)} onClick={(event) => event.stopPropagation()}>
          <Identifier>{formatDateTime(value)}</Identifier>
        </Link>
      ),
    },
    {
      title: t('correction.queue.col.merchant'),
      key: 'merchant',
      render: (_: unknown, record) => (
        <Link to={merchantPath(record.merchantNo)} onClick={(event) => event.stopPropagation()}>
          {record.merchantName ? (
            <span style={{ display: 'block' }}>{record.merchantName}</span>
          ) : null}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {record.merchantNo}
          </Typography.Text>
        </Link>
      ),
    },
    {
      title: t('correction.changes.col.account'),
      key: 'account',
      render: (_: unknown, record) => (
        <span>
          <Typography.Text code>{record.account.accountNumberMasked}</Typography.Text>{' '}
          {record.account.accountName}
        </span>
      ),
    },
    {
      title: t('correction.changes.col.status'),
      key: 'status',
      render: (_: unknown, record) => (
        <Flex gap={4} wrap>
          <AccountChangeStatusTag status={record.status} />
          {record.highRisk && <HighRiskTag />}
        </Flex>
      ),
    },
    {
      title: t('correction.changes.col.missing'),
      key: 'missing',
      render: (_: unknown, record) =>
        record.requiredDocuments.length === 0
          ? t('common.none')
          : t('correction.changes.missingCount', { count: record.requiredDocuments.length }),
    },
    {
      title: t('correction.changes.col.approvals'),
      key: 'approvals',
      render: (_: unknown, record) =>
        t('correction.change.approvalsCount', {
          given: record.approvals.length,
          needed: record.approvalsNeeded,
        }),
    },
    {
      title: t('correction.changes.col.requestedBy'),
      dataIndex: 'requestedBy',
      render: (value: string) => <Identifier>{tCode('actor', value) ?? value}</Identifier>,
    },
  ];

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 20, marginTop: 0 }}>
        {t('correction.queue.changesTitle')}
      </Typography.Title>
      <Card>
        <FilterBar>
          <SelectFilter
            id="change-status"
            label={t('correction.queue.status')}
            value={status}
            onChange={(value) => setFilter('status', value)}
            options={ACCOUNT_CHANGE_STATUSES.map((value) => ({
              value,
              label: t(`correction.changeStatus.${value}`),
            }))}
            width={180}
          />
          <SearchFilter
            id="change-merchant"
            label={t('correction.queue.merchantNo')}
            placeholder={t('correction.queue.merchantNoPlaceholder')}
            value={filter.merchantNo}
            onSearch={(value) => setFilter('merchantNo', value)}
            width={240}
          />
        </FilterBar>
        <CursorTable<AccountChange>
          list={list}
          rowKey="id"
          size="middle"
          columns={columns}
          locale={{ emptyText: t('correction.queue.changesEmpty') }}
          onRow={(record) => ({
            onClick: () => void navigate(accountChangePath(record.id)),
            style: { cursor: 'pointer' },
          })}
        />
      </Card>
    </>
  );
}
