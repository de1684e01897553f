import { Col, Row, Typography } from 'antd';
import { useT } from '../../i18n';
import { canReadIncidentStats } from '../incidents/permissions';
import { canVerifyLedger } from '../session/permissions';
import { useCurrentUser } from '../session/session';
import { HeldByReasonTile } from './HeldByReasonTile';
import { IncidentStatsTiles } from './IncidentStatsTile';
import { LedgerCheckTile } from './LedgerCheckTile';

/**
 * The overview: incidents (open by severity, response times, alerts by rule), money on hold by
 * reason, and the ledger checked for those who may.
 */
export function DashboardPage() {
  const { t } = useT();
  const user = useCurrentUser();
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 20, marginTop: 0 }}>
        {t('dashboard.title')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {canReadIncidentStats(user.role) && (
          <Col span={24}>
            <IncidentStatsTiles />
          </Col>
        )}
        <Col xs={24} lg={12}>
          <HeldByReasonTile />
        </Col>
        {canVerifyLedger(user.role) && (
          <Col xs={24} lg={12}>
            <LedgerCheckTile />
          </Col>
        )}
      </Row>
    </>
  );
}
