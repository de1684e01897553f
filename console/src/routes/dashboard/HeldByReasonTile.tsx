import { Card, Col, Empty, Flex, Progress, Row, Statistic, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { settlementApi } from '../../api/endpoints';
import type { HeldByReason } from '../../api/types';
import { useT } from '../../i18n';
import { formatFen } from '../common/money';
import { ProblemAlert } from '../common/problem';
import { useLoader } from '../common/use-loader';
import { canReadSettlement } from '../session/permissions';
import { useCurrentUser } from '../session/session';
import { heldLinesPath } from '../settlement/paths';
import { useHoldReasonText } from '../settlement/settlement-tags';

/**
 * Money on hold by reason: the total once, then each reason with its money. A line held for two
 * reasons counts under both, so the bars compare reasons with the largest, not with the total.
 */
export function HeldByReasonTile() {
  const { t } = useT();
  const user = useCurrentUser();
  const summary = useLoader('held-by-reason', (signal) => settlementApi.heldByReason(signal));
  return (
    <Card
      extra={
        canReadSettlement(user.role) ? (
          <Link to={heldLinesPath()}>{t('dashboard.held.viewAll')}</Link>
        ) : undefined
      }
      title={
        <h2 style={{ fontSize: 'inherit', fontWeight: 'inherit', margin: 0 }}>
          {t('dashboard.held.title')}
        </h2>
      }
      loading={summary.status === 'loading'}
      style={{ height: '100%' }}
    >
      {summary.status === 'failed' && (
        <ProblemAlert error={summary.error} onRetry={summary.reload} />
      )}
      {summary.status === 'ready' && <HeldFigures summary={summary.data} />}
    </Card>
  );
}

function HeldFigures({ summary }: { summary: HeldByReason }) {
  const { t, localize } = useT();
  const user = useCurrentUser();
  const linkLines = canReadSettlement(user.role);
  const reasonText = useHoldReasonText();
  const largest = Math.max(1, ...summary.items.map((item) => item.amountFen));
  return (
    <Flex vertical gap={16}>
      <Row gutter={16}>
        <Col span={12}>
          <Statistic title={t('dashboard.held.total')} value={formatFen(summary.totalFen)} />
        </Col>
        <Col span={12}>
          <Statistic
            title={t('dashboard.held.merchants')}
            value={t('dashboard.held.merchantsValue', {
              merchants: summary.merchantCount,
              lines: summary.lineCount,
            })}
          />
        </Col>
      </Row>
      {summary.items.length === 0 ? (
        <Empty description={t('dashboard.held.empty')} />
      ) : (
        <ul
          aria-label={t('dashboard.held.byReason')}
          style={{ listStyle: 'none', margin: 0, padding: 0 }}
        >
          {summary.items.map((item) => {
            const known = reasonText(item.reason);
            const name = known === item.reason ? localize(item.name) : known;
            return (
              <li key={item.reason} style={{ marginBottom: 12 }}>
                <Flex justify="space-between" gap={12}>
                  {linkLines ? (
                    <Link to={heldLinesPath(item.reason)}>{name}</Link>
                  ) : (
                    <Typography.Text>{name}</Typography.Text>
                  )}
                  <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>
                    {formatFen(item.amountFen)}
                  </Typography.Text>
                </Flex>
                <Progress
                  percent={Math.round((item.amountFen / largest) * 100)}
                  showInfo={false}
                  strokeColor="#fa541c"
                  size="small"
                  aria-hidden
                />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('dashboard.held.itemCounts', {
                    merchants: item.merchantCount,
                    lines: item.lineCount,
                  })}
                </Typography.Text>
              </li>
            );
          })}
        </ul>
      )}
      {summary.items.length > 1 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('dashboard.held.note')}
        </Typography.Text>
      )}
    </Flex>
  );
}
