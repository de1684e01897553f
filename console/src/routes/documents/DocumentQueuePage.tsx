import { Card, Flex, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { DOCUMENT_STATUSES, DOCUMENT_TYPES, documentApi } from '../../api/correction';
import type { MerchantDocument } from '../../api/correction';
import { useT } from '../../i18n';
import { CursorTable } from '../common/CursorTable';
import { FilterBar, SearchFilter, SelectFilter } from '../common/FilterBar';
import { Identifier } from '../common/Identifier';
import { oneOf, useUrlFilter } from '../common/search-params';
import { useCursorList } from '../common/use-cursor-list';
import { merchantPath } from '../merchants/MerchantListPage';
import { DocumentStatusTag, DocumentTypeText, ExpiredTag } from './DocumentTags';
import { documentPath } from './paths';

const FILTER_KEYS = ['status', 'type', 'merchantNo', 'expiring'] as const;

/** "Expiring within" choices, in days. */
const EXPIRING_WITHIN = ['30', '60', '90'] as const;

/**
 * The documents waiting for a reviewer (or any status, by filter), oldest first as the server
 * orders them; a click opens the document next to its review form. Filters live in the URL.
 */
export function DocumentQueuePage() {
  const { t, formatDateTime } = useT();
  const navigate = useNavigate();
  const [filter, setFilter] = useUrlFilter(FILTER_KEYS);
  const status = oneOf(DOCUMENT_STATUSES, filter.status);
  const expiring = oneOf(EXPIRING_WITHIN, filter.expiring);
  const type = oneOf(DOCUMENT_TYPES, filter.type);
  const query = {
    status,
    type,
    merchantNo: filter.merchantNo || undefined,
    expiringWithinDays: expiring === undefined ? undefined : Number(expiring),
  };
  const list = useCursorList(JSON.stringify(query), (cursor, signal) =>
    documentApi.queue(query, cursor, signal),
  );

  const columns: TableColumnsType<MerchantDocument> = [
    {
      title: t('correction.queue.col.uploadedAt'),
      dataIndex: 'uploadedAt',
      render: (value: string) => <Identifier>{formatDateTime(value)}</Identifier>,
    },
    {
      title: t('correction.queue.col.merchant'),
      dataIndex: 'merchantNo',
      render: (value: string) => (
        <Link to={merchantPath(value)} onClick={(event) => event.stopPropagation()}>
          <Identifier>{value}</Identifier>
        </Link>
      ),
    },
    {
      title: t('correction.queue.col.type'),
      key: 'type',
      render: (_: unknown, record) => (
        <Link to={documentPath(record.id)} onClick={(event) => event.stopPropagation()}>
          <DocumentTypeText type={record.type} />
        </Link>
      ),
    },
    {
      title: t('correction.queue.col.file'),
      dataIndex: 'fileName',
      render: (value: string) => (
        <div style={{ maxWidth: 240, whiteSpace: 'normal', wordBreak: 'break-all' }}>{value}</div>
      ),
    },
    {
      title: t('correction.queue.col.status'),
      key: 'status',
      render: (_: unknown, record) => (
        <Flex gap={4} wrap>
          <DocumentStatusTag status={record.status} />
          {record.expired && <ExpiredTag />}
        </Flex>
      ),
    },
    {
      title: t('correction.queue.col.expiresOn'),
      dataIndex: 'expiresOn',
      render: (value: string | null) => <Identifier>{value ?? t('common.none')}</Identifier>,
    },
    {
      title: t('correction.queue.col.uploadedBy'),
      dataIndex: 'uploadedBy',
      render: (value: string) => <Identifier>{value}</Identifier>,
    },
  ];

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 20, marginTop: 0 }}>
        {t('correction.queue.documentsTitle')}
      </Typography.Title>
      <Card>
        <FilterBar>
          <SelectFilter
            id="document-status"
            label={t('correction.queue.status')}
            value={status}
            onChange={(value) => setFilter('status', value)}
            options={DOCUMENT_STATUSES.map((value) => ({
              value,
              label: t(`correction.documentStatus.${value}`),
            }))}
          />
          <SelectFilter
            id="document-type-filter"
            label={t('correction.queue.type')}
            value={type}
            onChange={(value) => setFilter('type', value)}
            options={DOCUMENT_TYPES.map((value) => ({
              value,
              label: t(`correction.documentType.${value}`),
            }))}
            width={200}
          />
          <SelectFilter
            id="document-expiring"
            label={t('correction.queue.expiring')}
            value={expiring}
            onChange={(value) => setFilter('expiring', value)}
            options={EXPIRING_WITHIN.map((value) => ({
              value,
              label: t('correction.queue.expiringDays', { days: value }),
            }))}
          />
          <SearchFilter
            id="document-merchant"
            label={t('correction.queue.merchantNo')}
            placeholder={t('correction.queue.merchantNoPlaceholder')}
            value={filter.merchantNo}
            onSearch={(value) => setFilter('merchantNo', value)}
            width={240}
          />
        </FilterBar>
        <CursorTable<MerchantDocument>
          list={list}
          rowKey="id"
          size="middle"
          columns={columns}
          locale={{ emptyText: t('correction.queue.documentsEmpty') }}
          onRow={(record) => ({
            onClick: () => void navigate(documentPath(record.id)),
            style: { cursor: 'pointer' },
          })}
        />
      </Card>
    </>
  );
}
