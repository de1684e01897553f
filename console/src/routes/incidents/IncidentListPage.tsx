import { Card, Checkbox, Flex, Form, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { incidentApi } from '../../api/endpoints';
import { INCIDENT_SEVERITIES, INCIDENT_STATUSES } from '../../api/types';
import type { IncidentSummary } from '../../api/types';
import { useT } from '../../i18n';
import { FilterBar, SearchFilter, SelectFilter } from '../common/FilterBar';
import { CursorTable } from '../common/CursorTable';
import { Identifier } from '../common/Identifier';
import { oneOf, useUrlFilter } from '../common/search-params';
import { IncidentSeverityTag, IncidentStatusTag } from '../common/tags';
import { useCursorList } from '../common/use-cursor-list';
import { merchantPath } from '../merchants/MerchantListPage';
import { changesIncidents, useNotificationArrivals } from '../notifications/arrivals';
import { AckDue, DrillTag } from './IncidentTags';
import { DRILL_VIEWS, INCIDENT_AGES, drillQuery, openedBeforeFor } from './lifecycle';
import { incidentPath } from './paths';
import { seesInternalWork } from './permissions';
import { useCurrentUser } from '../session/session';

const FILTER_KEYS = [
  'status',
  'severity',
  'assignee',
  'age',
  'overdue',
  'drill',
  'merchantNo',
] as const;

/** A status, or `active`: every status still being worked (not resolved or closed). */
const STATUS_FILTERS = ['active', ...INCIDENT_STATUSES] as const;

/** The background of a row whose acknowledgement is overdue (antd's red-1). */
const OVERDUE_ROW_BACKGROUND = '#fff1f0';

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

/**
 * The incident queue: what needs someone now. Filters live in the URL; drills are left out
 * unless asked for, and an acknowledgement past its due time colours its row.
 */
export function IncidentListPage() {
  const { t, formatDateTime, localize } = useT();
  const navigate = useNavigate();
  const [filter, setFilter] = useUrlFilter(FILTER_KEYS);
  // A merchant user's view has no assignee (the acquirer's internal work): no column, no filter.
  const internal = seesInternalWork(useCurrentUser().role);
  const status = oneOf(STATUS_FILTERS, filter.status);
  const severity = oneOf(INCIDENT_SEVERITIES, filter.severity);
  const age = oneOf(INCIDENT_AGES, filter.age);
  const drill = oneOf(DRILL_VIEWS, filter.drill);
  const overdue = filter.overdue === 'true';
  const codes = {
    status,
    severity,
    age,
    drill,
    overdue,
    assignee: filter.assignee || undefined,
    merchantNo: filter.merchantNo || undefined,
  };

  // The age becomes a time when the page is fetched, so that "older than 4 hours" stays true
  // of the rows shown however long the filter has been in the URL.
  // A new incident (or a change to one) arriving live reads the queue again from the top.
  const [generation, setGeneration] = useState(0);
  useNotificationArrivals((item) => {
    if (changesIncidents(item)) setGeneration((value) => value + 1);
  });
  const list = useCursorList(`${JSON.stringify(codes)}:${generation}`, (cursor, signal) =>
    incidentApi.list(
      {
        status: status === 'active' ? undefined : status,
        active: status === 'active' ? 'true' : undefined,
        severity,
        assignee: codes.assignee,
        merchantNo: codes.merchantNo,
        openedBefore: age === undefined ? undefined : openedBeforeFor(age, Date.now()),
        drill: drillQuery(drill),
        ackOverdue: overdue ? 'true' : undefined,
      },
      cursor,
      signal,
    ),
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
        <div style={{ minWidth: 220, maxWidth: 400, whiteSpace: 'normal' }}>
          <Link to={incidentPath(record.id)} onClick={(event) => event.stopPropagation()}>
            {record.drill === true && <DrillTag />}
            {localize(record.title)}
          </Link>
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {t('incidents.alertCount', { count: record.alertCount })}
          </Typography.Text>
        </div>
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
      key: 'status',
      // The status, and under it where the acknowledgement stands (overdue in red words).
      render: (_: unknown, record) => (
        <Flex vertical gap={4} align="flex-start">
          <IncidentStatusTag status={record.status} />
          <AckDue incident={record} compact />
        </Flex>
      ),
    },
    ...(internal
      ? [
          {
            title: t('incidents.col.assignee'),
            dataIndex: 'assignee',
            render: (value: string | null | undefined) =>
              value ? (
                <Identifier>{value}</Identifier>
              ) : (
                <Typography.Text type="secondary">{t('incidents.unassigned')}</Typography.Text>
              ),
          },
        ]
      : []),
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
            options={STATUS_FILTERS.map((value) => ({
              value,
              label: value === 'active' ? t('incidents.active') : t(`incidentStatus.${value}`),
            }))}
          />
          <SelectFilter
            id="incident-severity"
            label={t('incidents.severity')}
            value={severity}
            onChange={(value) => setFilter('severity', value)}
            options={INCIDENT_SEVERITIES.map((value) => ({
              value,
              label: t(`incidentSeverity.${value}`),
            }))}
            width={130}
          />
          <SelectFilter
            id="incident-age"
            label={t('incidents.age')}
            value={age}
            onChange={(value) => setFilter('age', value)}
            options={INCIDENT_AGES.map((value) => ({
              value,
              label: t(`incidents.age.${value}`),
            }))}
            width={150}
          />
          <SelectFilter
            id="incident-drill"
            label={t('incidents.drills')}
            value={drill ?? 'exclude'}
            onChange={(value) => setFilter('drill', value)}
            options={DRILL_VIEWS.map((value) => ({
              value,
              label: t(`incidents.drills.${value}`),
            }))}
            width={150}
          />
          {internal && (
            <SearchFilter
              id="incident-assignee"
              label={t('incidents.assignee')}
              placeholder={t('incidents.assigneePlaceholder')}
              value={filter.assignee}
              onSearch={(value) => setFilter('assignee', value)}
              width={220}
            />
          )}
          <SearchFilter
            id="incident-merchant"
            label={t('incidents.merchantNo')}
            placeholder={t('incidents.merchantNoPlaceholder')}
            value={filter.merchantNo}
            onSearch={(value) => setFilter('merchantNo', value)}
            width={240}
          />
          <Form.Item>
            <Checkbox
              checked={overdue}
              onChange={(event) => setFilter('overdue', event.target.checked ? 'true' : undefined)}
            >
              {t('incidents.overdueOnly')}
            </Checkbox>
          </Form.Item>
        </FilterBar>
        <CursorTable<IncidentSummary>
          list={list}
          rowKey="id"
          size="middle"
          columns={columns}
          locale={{ emptyText: t('incidents.empty') }}
          onRow={(record) => ({
            onClick: () => void navigate(incidentPath(record.id)),
            style: {
              cursor: 'pointer',
              background: record.ackOverdue === true ? OVERDUE_ROW_BACKGROUND : undefined,
            },
            'data-overdue': record.ackOverdue === true ? 'true' : undefined,
          })}
        />
      </Card>
    </>
  );
}
