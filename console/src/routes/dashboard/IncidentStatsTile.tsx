import { Card, Col, Empty, Flex, Row, Skeleton, Statistic, Typography } from 'antd';
import { Suspense, lazy, useCallback, useMemo } from 'react';
import { Link } from 'react-router-dom';
import { incidentApi } from '../../api/endpoints';
import { INCIDENT_SEVERITIES } from '../../api/types';
import type { IncidentStats } from '../../api/types';
import { useT } from '../../i18n';
import { formatFen } from '../common/money';
import { ProblemAlert } from '../common/problem';
import { useLoader } from '../common/use-loader';
import { durationParts } from '../incidents/lifecycle';
import { changesIncidents, useNotificationArrivals } from '../notifications/arrivals';

// ECharts is large: fetched only when the overview shows the chart.
const AlertsByRuleChart = lazy(() => import('./AlertsByRuleChart'));

const SEVERITY_COLOURS = { P1: '#cf1322', P2: '#d4380d', P3: '#d48806', P4: '#1677ff' } as const;

/** "1 小时 5 分" / "1 h 5 min": a mean time as people say it; none yet as a dash. */
export function useFormatDuration() {
  const { t } = useT();
  return (seconds: number | null | undefined): string => {
    if (seconds === null || seconds === undefined) return t('common.none');
    return durationParts(seconds)
      .map(([count, unit]) => t(`duration.${unit}`, { count }))
      .join(' ');
  };
}

/**
 * The incident figures of the overview: open incidents by severity, acknowledgements overdue,
 * mean times to acknowledge and to resolve, money held by incidents' containment, and alerts by
 * rule per day over the last two weeks.
 */
export function IncidentStatsTiles() {
  const { t } = useT();
  const stats = useLoader('incident-stats', (signal) => incidentApi.stats(signal));
  // The figures move as incidents open, are acknowledged and resolved.
  useNotificationArrivals((item) => {
    if (changesIncidents(item) && item.drill !== true) stats.refresh();
  });
  if (stats.status === 'failed') {
    return (
      <Card>
        <ProblemAlert error={stats.error} onRetry={stats.reload} />
      </Card>
    );
  }
  if (stats.status === 'loading') {
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  }
  return (
    <Flex vertical gap={16}>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <OpenBySeverity stats={stats.data} />
        </Col>
        <Col xs={24} xl={12}>
          <ResponseTimes stats={stats.data} />
        </Col>
      </Row>
      <Card
        title={
          <h2 style={{ fontSize: 'inherit', fontWeight: 'inherit', margin: 0 }}>
            {t('dashboard.alertsByRule.title', { days: stats.data.alertsByRule.days.length })}
          </h2>
        }
      >
        <AlertsByRule stats={stats.data} />
      </Card>
    </Flex>
  );
}

function TileTitle({ children }: { children: string }) {
  return <h2 style={{ fontSize: 'inherit', fontWeight: 'inherit', margin: 0 }}>{children}</h2>;
}

/** A figure with a visible label that screen readers also read as the figure's name. */
function Figure(props: { label: string; children: React.ReactNode }) {
  return (
    <div role="group" aria-label={props.label}>
      {props.children}
    </div>
  );
}

function OpenBySeverity({ stats }: { stats: IncidentStats }) {
  const { t } = useT();
  return (
    <Card
      title={<TileTitle>{t('dashboard.incidents.open')}</TileTitle>}
      extra={<Link to="/incidents">{t('dashboard.incidents.queue')}</Link>}
      style={{ height: '100%' }}
    >
      <Row gutter={[16, 16]}>
        {INCIDENT_SEVERITIES.map((severity) => (
          <Col span={6} key={severity}>
            <Figure label={t(`incidentSeverity.${severity}`)}>
              <Link to={`/incidents?severity=${severity}`}>
                <Statistic
                  title={t(`incidentSeverity.${severity}`)}
                  value={stats.open.bySeverity[severity]}
                  styles={{ content: { color: SEVERITY_COLOURS[severity] } }}
                />
              </Link>
            </Figure>
          </Col>
        ))}
      </Row>
      <Flex justify="space-between" style={{ marginTop: 16 }} wrap gap={8}>
        <Typography.Text type="secondary">
          {t('dashboard.incidents.openTotal', { count: stats.open.total })}
        </Typography.Text>
        <Link to="/incidents?overdue=true">
          <Typography.Text type={stats.open.ackOverdue > 0 ? 'danger' : 'secondary'} strong>
            {t('dashboard.incidents.ackOverdue', { count: stats.open.ackOverdue })}
          </Typography.Text>
        </Link>
      </Flex>
    </Card>
  );
}

function ResponseTimes({ stats }: { stats: IncidentStats }) {
  const { t } = useT();
  const duration = useFormatDuration();
  return (
    <Card
      title={<TileTitle>{t('dashboard.incidents.response')}</TileTitle>}
      style={{ height: '100%' }}
    >
      <Row gutter={[16, 16]}>
        <Col span={8}>
          <Figure label={t('dashboard.incidents.mtta')}>
            <Statistic
              title={t('dashboard.incidents.mtta')}
              value={duration(stats.meanTimeToAcknowledgeSeconds)}
            />
          </Figure>
        </Col>
        <Col span={8}>
          <Figure label={t('dashboard.incidents.mttr')}>
            <Statistic
              title={t('dashboard.incidents.mttr')}
              value={duration(stats.meanTimeToResolveSeconds)}
            />
          </Figure>
        </Col>
        <Col span={8}>
          <Figure label={t('dashboard.incidents.moneyHeld')}>
            <Statistic
              title={t('dashboard.incidents.moneyHeld')}
              value={formatFen(stats.held.amountFen)}
            />
          </Figure>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary" style={{ margin: '16px 0 0', fontSize: 12 }}>
        {t('dashboard.incidents.responseNote', {
          days: stats.windowDays,
          acknowledged: stats.acknowledgedInWindow,
          resolved: stats.resolvedInWindow,
          merchants: stats.held.merchantsOnHold,
        })}
      </Typography.Paragraph>
    </Card>
  );
}

function AlertsByRule({ stats }: { stats: IncidentStats }) {
  const { t, tCode } = useT();
  const data = useMemo(
    () => ({ days: stats.alertsByRule.days, series: stats.alertsByRule.rules }),
    [stats.alertsByRule],
  );
  const ruleName = useCallback((rule: string) => tCode('rule', rule) ?? rule, [tCode]);
  if (data.series.length === 0) {
    return <Empty description={t('dashboard.alertsByRule.empty')} />;
  }
  const totals = stats.alertsByRule.rules;
  return (
    <Row gutter={[24, 16]}>
      <Col xs={24} xl={18}>
        <Suspense fallback={<Skeleton active />}>
          <AlertsByRuleChart
            data={data}
            ruleName={ruleName}
            label={t('dashboard.alertsByRule.chartLabel', { days: data.days.length })}
          />
        </Suspense>
      </Col>
      <Col xs={24} xl={6}>
        <table
          aria-label={t('dashboard.alertsByRule.totals')}
          style={{ width: '100%', borderCollapse: 'collapse' }}
        >
          <thead>
            <tr>
              <th style={{ textAlign: 'start', paddingBottom: 8 }}>
                {t('dashboard.alertsByRule.rule')}
              </th>
              <th style={{ textAlign: 'end', paddingBottom: 8 }}>
                {t('dashboard.alertsByRule.count')}
              </th>
            </tr>
          </thead>
          <tbody>
            {totals.map((row) => (
              <tr key={row.rule}>
                <td style={{ padding: '4px 8px 4px 0' }}>
                  <Link to={`/alerts?rule=${encodeURIComponent(row.rule)}`}>
                    {ruleName(row.rule)}
                  </Link>
                </td>
                <td style={{ textAlign: 'end' }}>{row.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Col>
    </Row>
  );
}
