import { Card, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { merchantApi } from '../../api/endpoints';
import { MERCHANT_STATUSES, MERCHANT_TYPES } from '../../api/types';
import type { MerchantSummary } from '../../api/types';
import { useT } from '../../i18n';
import { FilterBar, SearchFilter, SelectFilter } from '../common/FilterBar';
import { CursorTable } from '../common/CursorTable';
import { oneOf, useUrlFilter } from '../common/search-params';
import {
  AccountStatusTag,
  MerchantStatusTag,
  MerchantTypeText,
  NameCheckTag,
} from '../common/tags';
import { useCursorList } from '../common/use-cursor-list';

const FILTER_KEYS = ['q', 'type', 'status'] as const;

export function merchantPath(merchantNo: string): string {
  return `/merchants/${encodeURIComponent(merchantNo)}`;
}

export function MerchantListPage() {
  const { t } = useT();
  const navigate = useNavigate();
  const [filter, setFilter] = useUrlFilter(FILTER_KEYS);
  const type = oneOf(MERCHANT_TYPES, filter.type);
  const status = oneOf(MERCHANT_STATUSES, filter.status);
  const query = { q: filter.q || undefined, type, status };

  const list = useCursorList(JSON.stringify(query), (cursor, signal) =>
    merchantApi.list(query, cursor, signal),
  );

  const columns: TableColumnsType<MerchantSummary> = [
    {
      title: t('merchants.col.merchantNo'),
      dataIndex: 'merchantNo',
      render: (merchantNo: string) => (
        <Link to={merchantPath(merchantNo)} onClick={(event) => event.stopPropagation()}>
          {merchantNo}
        </Link>
      ),
    },
    { title: t('merchants.col.name'), dataIndex: 'name' },
    {
      title: t('merchants.col.type'),
      dataIndex: 'type',
      render: (value: MerchantSummary['type']) => <MerchantTypeText type={value} />,
    },
    {
      title: t('merchants.col.status'),
      dataIndex: 'status',
      render: (value: MerchantSummary['status']) => <MerchantStatusTag status={value} />,
    },
    { title: t('merchants.col.legalPerson'), dataIndex: 'legalPersonName' },
    {
      title: t('merchants.col.accountStatus'),
      dataIndex: 'accountStatus',
      render: (value: MerchantSummary['accountStatus']) => <AccountStatusTag status={value} />,
    },
    {
      title: t('merchants.col.nameCheck'),
      dataIndex: 'nameCheckResult',
      render: (value: MerchantSummary['nameCheckResult'], record) =>
        record.accountStatus === null ? t('common.none') : <NameCheckTag result={value} />,
    },
    { title: t('merchants.col.terminalCount'), dataIndex: 'terminalCount', align: 'right' },
  ];

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 20, marginTop: 0 }}>
        {t('merchants.title')}
      </Typography.Title>
      <Card>
        <FilterBar>
          <SearchFilter
            id="merchant-search"
            label={t('merchants.search')}
            placeholder={t('merchants.searchPlaceholder')}
            value={filter.q}
            onSearch={(value) => setFilter('q', value)}
          />
          <SelectFilter
            id="merchant-type"
            label={t('merchants.type')}
            value={type}
            onChange={(value) => setFilter('type', value)}
            options={MERCHANT_TYPES.map((value) => ({
              value,
              label: t(`merchantType.${value}`),
            }))}
          />
          <SelectFilter
            id="merchant-status"
            label={t('merchants.status')}
            value={status}
            onChange={(value) => setFilter('status', value)}
            options={MERCHANT_STATUSES.map((value) => ({
              value,
              label: t(`merchantStatus.${value}`),
            }))}
          />
        </FilterBar>
        <CursorTable<MerchantSummary>
          list={list}
          rowKey="merchantNo"
          size="middle"
          columns={columns}
          onRow={(record) => ({
            onClick: () => void navigate(merchantPath(record.merchantNo)),
            style: { cursor: 'pointer' },
          })}
        />
      </Card>
    </>
  );
}
