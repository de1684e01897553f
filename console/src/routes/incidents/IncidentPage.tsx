import { ArrowLeftOutlined } from '@ant-design/icons';
import { Descriptions, Flex, Skeleton, Tag, Timeline, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { incidentApi } from '../../api/endpoints';
import type { IncidentDetail } from '../../api/types';
import { useT } from '../../i18n';
import { AlertTable } from '../alerts/AlertTable';
import { Identifier } from '../common/Identifier';
import { ProblemAlert } from '../common/problem';
import { SectionCard } from '../common/SectionCard';
import { IncidentSeverityTag, IncidentStatusTag } from '../common/tags';
import { useLoader } from '../common/use-loader';
import { merchantPath } from '../merchants/MerchantListPage';
import { NotFoundPage } from '../not-found/NotFoundPage';
import { terminalPath } from '../terminals/TerminalListPage';

export function IncidentPage() {
  const { t } = useT();
  const incidentId = useParams().incidentId ?? '';
  const incident = useLoader(incidentId, (signal) => incidentApi.get(incidentId, signal));

  if (
    incident.status === 'failed' &&
    incident.error instanceof ApiError &&
    incident.error.status === 404
  ) {
    return <NotFoundPage />;
  }

  return (
    <>
      <Link to="/incidents">
        <ArrowLeftOutlined /> {t('incident.backToList')}
      </Link>
      {incident.status === 'loading' && <Skeleton active style={{ marginTop: 16 }} />}
      {incident.status === 'failed' && (
        <div style={{ marginTop: 16 }}>
          <ProblemAlert error={incident.error} onRetry={incident.reload} />
        </div>
      )}
      {incident.status === 'ready' && <IncidentView incident={incident.data} />}
    </>
  );
}

function IncidentView({ incident }: { incident: IncidentDetail }) {
  const { t, localize } = useT();
  return (
    <>
      <Flex align="center" gap={12} wrap style={{ margin: '12px 0 16px' }}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {localize(incident.title)}
        </Typography.Title>
        <IncidentSeverityTag severity={incident.severity} />
        <IncidentStatusTag status={incident.status} />
        {incident.drill === true && <Tag color="purple">{t('incident.drill')}</Tag>}
      </Flex>
      <SectionCard title={t('incident.summary')}>
        <SummaryDetails incident={incident} />
      </SectionCard>
      <SectionCard title={t('incident.containment')}>
        <ContainmentDetails incident={incident} />
      </SectionCard>
      <SectionCard title={t('incident.alerts', { count: incident.alerts.length })}>
        <AlertTable alerts={incident.alerts} loading={false} hideMerchant hideIncident />
      </SectionCard>
      <SectionCard title={t('incident.timeline')}>
        <IncidentTimeline incident={incident} />
      </SectionCard>
    </>
  );
}

function SummaryDetails({ incident }: { incident: IncidentDetail }) {
  const { t, formatDateTime } = useT();
  const items: DescriptionsProps['items'] = [
    {
      key: 'merchant',
      label: t('incident.merchant'),
      children: (
        <Link to={merchantPath(incident.merchantNo)}>
          {incident.merchantName !== null && `${incident.merchantName} `}
          <Identifier>{incident.merchantNo}</Identifier>
        </Link>
      ),
    },
    {
      key: 'severity',
      label: t('incident.severity'),
      children: <IncidentSeverityTag severity={incident.severity} />,
    },
    {
      key: 'status',
      label: t('incident.status'),
      children: <IncidentStatusTag status={incident.status} />,
    },
    {
      key: 'openedAt',
      label: t('incident.openedAt'),
      children: <Identifier>{formatDateTime(incident.openedAt)}</Identifier>,
    },
    {
      key: 'updatedAt',
      label: t('incident.updatedAt'),
      children: <Identifier>{formatDateTime(incident.updatedAt)}</Identifier>,
    },
    {
      key: 'id',
      label: t('incident.id'),
      children: <Typography.Text code>{incident.id}</Typography.Text>,
    },
  ];
  if (incident.relatedMerchantNos.length > 0) {
    items.push({
      key: 'related',
      label: t('incident.relatedMerchants'),
      children: (
        <Flex gap={12} wrap>
          {incident.relatedMerchantNos.map((merchantNo) => (
            <Link key={merchantNo} to={merchantPath(merchantNo)}>
              {merchantNo}
            </Link>
          ))}
        </Flex>
      ),
    });
  }
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, lg: 2 }}
      items={items}
      styles={{ label: { whiteSpace: 'nowrap' } }}
    />
  );
}

function ContainmentDetails({ incident }: { incident: IncidentDetail }) {
  const { t, tCode } = useT();
  const { terminalsSuspended, settlementHeld, holdRules } = incident.containment;
  const holdReason =
    holdRules !== undefined && holdRules.length > 0
      ? holdRules.map((rule) => tCode('rule', rule) ?? rule).join(t('common.listSeparator'))
      : incident.containment.holdReason;
  const items: DescriptionsProps['items'] = [
    {
      key: 'terminals',
      label: t('incident.terminalsSuspended'),
      children:
        terminalsSuspended.length === 0 ? (
          t('incident.noTerminalsSuspended')
        ) : (
          <Flex gap={8} wrap>
            {terminalsSuspended.map((terminalId) => (
              <Link key={terminalId} to={terminalPath(terminalId)}>
                <Tag color="orange" style={{ cursor: 'pointer' }}>
                  {terminalId}
                </Tag>
              </Link>
            ))}
          </Flex>
        ),
    },
    {
      key: 'settlement',
      label: t('incident.settlement'),
      children: settlementHeld ? (
        <Tag color="red">{t('incident.settlementHeld')}</Tag>
      ) : (
        <Tag>{t('incident.settlementNotHeld')}</Tag>
      ),
    },
  ];
  if (settlementHeld && holdReason !== null && holdReason !== '') {
    items.push({ key: 'holdReason', label: t('incident.holdReason'), children: holdReason });
  }
  return (
    <Descriptions
      bordered
      size="small"
      column={1}
      items={items}
      styles={{ label: { width: 200 } }}
    />
  );
}

/** Containment steps stand out from the rest of the timeline; unknown kinds are blue. */
const TIMELINE_COLOURS: Partial<Record<string, string>> = {
  opened: 'red',
  terminal_suspended: 'orange',
  settlement_held: 'orange',
  terminal_resumed: 'green',
  settlement_released: 'green',
  resolved: 'green',
  closed: 'gray',
};

function IncidentTimeline({ incident }: { incident: IncidentDetail }) {
  const { t, tCode, formatDateTime, localize } = useT();
  if (incident.timeline.length === 0) {
    return <Typography.Text type="secondary">{t('incident.timelineEmpty')}</Typography.Text>;
  }
  return (
    <Timeline
      // The time in a narrow column on the left, what happened on the right.
      titleSpan="150px"
      items={incident.timeline.map((entry, index) => ({
        key: `${entry.at}-${index}`,
        color: TIMELINE_COLOURS[entry.kind] ?? 'blue',
        title: formatDateTime(entry.at),
        content: (
          <>
            <Typography.Text strong>{tCode('actor', entry.actor) ?? entry.actor}</Typography.Text>
            <span style={{ display: 'block' }}>{localize(entry.text)}</span>
          </>
        ),
      }))}
    />
  );
}
