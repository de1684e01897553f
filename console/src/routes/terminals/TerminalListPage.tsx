import { Card, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import { terminalApi } from '../../api/endpoints';
import { TERMINAL_STATUSES } from '../../api/types';
import type { TerminalSummary } from '../../api/types';
import { useT } from '../../i18n';
import { FilterBar, SearchFilter, SelectFilter } from '../common/FilterBar';
import { CursorTable } from '../common/CursorTable';
import { oneOf, useUrlFilter } from '../common/search-params';
import { TerminalStatusTag } from '../common/tags';
import { useCursorList } from '../common/use-cursor-list';
import { merchantPath } from '../merchants/MerchantListPage';

const FILTER_KEYS = ['q', 'status'] as const;

/** The terminal list searched for one terminal: where a terminal ID links to. */
export function terminalPath(terminalId: string): string {
  return `/terminals?q=${encodeURIComponent(terminalId)}`;
}

export function TerminalListPage() {
  const { t } = useT();
  const [filter, setFilter] = useUrlFilter(FILTER_KEYS);
  const status = oneOf(TERMINAL_STATUSES, filter.status);
  const query = { q: filter.q || undefined, status };

  const list = useCursorList(JSON.stringify(query), (cursor, signal) =>
    terminalApi.list(query, cursor, signal),
  );

  const columns: TableColumnsType<TerminalSummary> = [
    { title: t('terminals.col.terminalId'), dataIndex: 'terminalId' },
    { title: t('terminals.col.serialNumber'), dataIndex: 'serialNumber' },
    { title: t('terminals.col.model'), dataIndex: 'model' },
    { title: t('terminals.col.firmware'), dataIndex: 'firmwareVersion' },
    {
      title: t('terminals.col.merchant'),
      key: 'merchant',
      render: (_: unknown, record) => (
        <Link to={merchantPath(record.merchantNo)}>
          {record.merchantName !== null && (
            <span style={{ display: 'block' }}>{record.merchantName}</span>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {record.merchantNo}
          </Typography.Text>
        </Link>
      ),
    },
    {
      title: t('terminals.col.status'),
      dataIndex: 'status',
      render: (value: TerminalSummary['status'], record) => (
        <TerminalStatusTag status={value} reason={record.statusReason} />
      ),
    },
    {
      title: t('terminals.col.location'),
      dataIndex: 'location',
      render: (value: string | null) => value ?? t('common.none'),
    },
  ];

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 20, marginTop: 0 }}>
        {t('terminals.title')}
      </Typography.Title>
      <Card>
        <FilterBar>
          <SearchFilter
            id="terminal-search"
            label={t('terminals.search')}
            placeholder={t('terminals.searchPlaceholder')}
            value={filter.q}
            onSearch={(value) => setFilter('q', value)}
          />
          <SelectFilter
            id="terminal-status"
            label={t('terminals.status')}
            value={status}
            onChange={(value) => setFilter('status', value)}
            options={TERMINAL_STATUSES.map((value) => ({
              value,
              label: t(`terminalStatus.${value}`),
            }))}
          />
        </FilterBar>
        <CursorTable<TerminalSummary>
          list={list}
          rowKey="terminalId"
          size="middle"
          columns={columns}
        />
      </Card>
    </>
  );
}
