import { Card, Flex, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { incidentApi } from '../../api/endpoints';
import { INCIDENT_STATUSES } from '../../api/types';
import type { IncidentSummary } from '../../api/types';
import { useT } from '../../i18n';
import { FilterBar, SearchFilter, SelectFilter } from '../common/FilterBar';
import { CursorTable } from '../common/CursorTable';
import { Identifier } from '../common/Identifier';
import { oneOf, useUrlFilter } from '../common/search-params';
import { IncidentSeverityTag, IncidentStatusTag } from '../common/tags';
import { useCursorList } from '../common/use-cursor-list';
import { merchantPath } from '../merchants/MerchantListPage';
import { incidentPath } from './paths';

const FILTER_KEYS = ['status', 'merchantNo'] as const;

/** What was done to stop the damage: terminals suspended, settlement held. */
export function ContainmentSummary({
  containment,
}: {
  containment: IncidentSummary['containment'];
}) {
  const { t } = useT();
  const suspended = containment.terminalsSuspended.length;
  return (
    <Flex gap={4} wrap>
      {suspended > 0 ? (
        <Tag color="orange">{t('incidents.terminalsSuspended', { count: suspended })}</Tag>
      ) : (
        <Tag>{t('incidents.noTerminalsSuspended')}</Tag>
      )}
      {containment.settlementHeld ? (
        <Tag color="red">{t('incidents.settlementHeld')}</Tag>
      ) : (
        <Tag>{t('incidents.settlementNotHeld')}</Tag>
      )}
    </Flex>
  );
}

export function IncidentListPage() {
  const { t, formatDateTime, localize } = useT();
  const navigate = useNavigate();
  const [filter, setFilter] = useUrlFilter(FILTER_KEYS);
  const status = oneOf(INCIDENT_STATUSES, filter.status);
  const query = { status, merchantNo: filter.merchantNo || undefined };

  const list = useCursorList(JSON.stringify(query), (cursor, signal) =>
    incidentApi.list(query, cursor, signal),
  );

  const columns: TableColumnsType<IncidentSummary> = [
    {
      title: t('incidents.col.openedAt'),
      dataIndex: 'openedAt',
      render: (value: string) => <Identifier>{formatDateTime(value)}</Identifier>,
    },
    {
      title: t('incidents.col.severity'),
      dataIndex: 'severity',
      render: (value: IncidentSummary['severity']) => <IncidentSeverityTag severity={value} />,
    },
    {
      title: t('incidents.col.title'),
      key: 'title',
      render: (_: unknown, record) => (
        <Link
          to={incidentPath(record.id)}
          onClick={(event) => event.stopPropagation()}
          style={{ display: 'inline-block', minWidth: 200, maxWidth: 420, whiteSpace: 'normal' }}
        >
          {localize(record.title)}
          {record.drill === true && (
            <Tag color="purple" style={{ marginInlineStart: 8 }}>
              {t('incident.drill')}
            </Tag>
          )}
        </Link>
      ),
    },
    {
      title: t('incidents.col.merchant'),
      key: 'merchant',
      render: (_: unknown, record) => (
        <Link to={merchantPath(record.merchantNo)} onClick={(event) => event.stopPropagation()}>
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
      title: t('incidents.col.status'),
      dataIndex: 'status',
      render: (value: IncidentSummary['status']) => <IncidentStatusTag status={value} />,
    },
    { title: t('incidents.col.alertCount'), dataIndex: 'alertCount', align: 'right' },
    {
      title: t('incidents.col.containment'),
      key: 'containment',
      render: (_: unknown, record) => <ContainmentSummary containment={record.containment} />,
    },
  ];

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 20, marginTop: 0 }}>
        {t('incidents.title')}
      </Typography.Title>
      <Card>
        <FilterBar>
          <SelectFilter
            id="incident-status"
            label={t('incidents.status')}
            value={status}
            onChange={(value) => setFilter('status', value)}
            options={INCIDENT_STATUSES.map((value) => ({
              value,
              label: t(`incidentStatus.${value}`),
            }))}
          />
          <SearchFilter
            id="incident-merchant"
            label={t('incidents.merchantNo')}
            placeholder={t('incidents.merchantNoPlaceholder')}
            value={filter.merchantNo}
            onSearch={(value) => setFilter('merchantNo', value)}
            width={260}
          />
        </FilterBar>
        <CursorTable<IncidentSummary>
          list={list}
          rowKey="id"
          size="middle"
          columns={columns}
          locale={{ emptyText: t('incidents.empty') }}
          onRow={(record) => ({
            onClick: () => void navigate(incidentPath(record.id)),
            style: { cursor: 'pointer' },
          })}
        />
      </Card>
    </>
  );
}
