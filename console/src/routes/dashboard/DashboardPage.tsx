import { Col, Row, Typography } from 'antd';
import { useT } from '../../i18n';
import { HeldByReasonTile } from './HeldByReasonTile';

/** The overview: for now, the money on hold by reason. */
export function DashboardPage() {
  const { t } = useT();
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 20, marginTop: 0 }}>
        {t('dashboard.title')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <HeldByReasonTile />
        </Col>
      </Row>
    </>
  );
}
