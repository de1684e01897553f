import { ExperimentOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Flex, Input, Radio, Row, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { drillApi, incidentApi } from '../../api/endpoints';
import { DRILL_SCENARIOS } from '../../api/types';
import type { DrillScenario, IncidentSummary } from '../../api/types';
import { useT } from '../../i18n';
import { CursorTable } from '../common/CursorTable';
import { Identifier } from '../common/Identifier';
import { ProblemAlert } from '../common/problem';
import { IncidentSeverityTag, IncidentStatusTag } from '../common/tags';
import { useCursorList } from '../common/use-cursor-list';
import { DrillTag } from '../incidents/IncidentTags';
import { incidentPath } from '../incidents/paths';
import { canStartDrills } from '../incidents/permissions';
import { knownKey } from '../incidents/texts';
import { useCurrentUser } from '../session/session';

/**
 * Drills: the whole playbook run for training on a made-up incident from a scenario, marked
 * 演练 everywhere, touching no real terminal, hold, ledger entry or outside notification.
 */
export function DrillsPage() {
  const { t, formatDateTime, localize } = useT();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const list = useCursorList('drills', (cursor, signal) =>
    incidentApi.list({ drill: 'true' }, cursor, signal),
  );
  const columns: TableColumnsType<IncidentSummary> = [
    {
      title: t('incidents.col.openedAt'),
      dataIndex: 'openedAt',
      render: (value: string) => <Identifier>{formatDateTime(value)}</Identifier>,
    },
    {
      title: t('drills.col.scenario'),
      dataIndex: 'scenario',
      render: (value: string | null | undefined) => {
        const key = value ? knownKey(`drillScenario.${value}`) : undefined;
        return key === undefined ? (value ?? t('common.none')) : t(key);
      },
    },
    {
      title: t('incidents.col.title'),
      key: 'title',
      render: (_: unknown, record) => (
        <Link to={incidentPath(record.id)}>
          <DrillTag />
          {localize(record.title)}
        </Link>
      ),
    },
    {
      title: t('incidents.col.severity'),
      dataIndex: 'severity',
      render: (value: IncidentSummary['severity']) => <IncidentSeverityTag severity={value} />,
    },
    {
      title: t('incidents.col.status'),
      dataIndex: 'status',
      render: (value: IncidentSummary['status']) => <IncidentStatusTag status={value} />,
    },
    {
      title: t('incidents.col.assignee'),
      dataIndex: 'assignee',
      render: (value: string | null | undefined) => value ?? t('incidents.unassigned'),
    },
  ];
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 20, marginTop: 0 }}>
        {t('drills.title')}
      </Typography.Title>
      <Alert
        type="info"
        showIcon
        icon={<ExperimentOutlined />}
        style={{ marginBottom: 16, borderColor: '#d3adf7', background: '#f9f0ff' }}
        title={t('drills.hint')}
      />
      {canStartDrills(user.role) && (
        <StartDrill onStarted={(incident) => void navigate(incidentPath(incident.id))} />
      )}
      <Card
        title={
          <h2 style={{ fontSize: 'inherit', fontWeight: 'inherit', margin: 0 }}>
            {t('drills.list')}
          </h2>
        }
      >
        <CursorTable<IncidentSummary>
          list={list}
          rowKey="id"
          size="middle"
          columns={columns}
          locale={{ emptyText: t('drills.empty') }}
        />
      </Card>
    </>
  );
}

function StartDrill({ onStarted }: { onStarted: (incident: { id: string }) => void }) {
  const { t } = useT();
  const [scenario, setScenario] = useState<DrillScenario>('terminal_merchant_mismatch');
  const [merchantNo, setMerchantNo] = useState('');
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      onStarted(await drillApi.start(scenario, merchantNo.trim()));
    } catch (caught) {
      setError(caught);
      setStarting(false);
    }
  };
  return (
    <Card
      style={{ marginBottom: 16 }}
      title={
        <h2 style={{ fontSize: 'inherit', fontWeight: 'inherit', margin: 0 }}>
          {t('drills.start.title')}
        </h2>
      }
    >
      {error !== null && (
        <div style={{ marginBottom: 12 }}>
          <ProblemAlert error={error} />
        </div>
      )}
      <Radio.Group
        value={scenario}
        onChange={(event) => setScenario(event.target.value as DrillScenario)}
        style={{ width: '100%' }}
        aria-label={t('drills.scenario')}
      >
        <Row gutter={[12, 12]}>
          {DRILL_SCENARIOS.map((value) => (
            <Col xs={24} md={12} key={value}>
              <Card size="small" style={{ height: '100%' }}>
                <Radio value={value}>
                  <Typography.Text strong>{t(`drillScenario.${value}`)}</Typography.Text>
                </Radio>
                <Typography.Paragraph
                  type="secondary"
                  style={{ margin: '4px 0 0 24px', fontSize: 12 }}
                >
                  {t(`drillScenario.${value}.description`)}
                </Typography.Paragraph>
              </Card>
            </Col>
          ))}
        </Row>
      </Radio.Group>
      <Flex gap={12} align="flex-end" wrap style={{ marginTop: 16 }}>
        <Flex vertical gap={4}>
          <label htmlFor="drill-merchant">{t('drills.merchantNo')}</label>
          <Input
            id="drill-merchant"
            value={merchantNo}
            onChange={(event) => setMerchantNo(event.target.value)}
            placeholder={t('drills.merchantNoPlaceholder')}
            maxLength={15}
            style={{ width: 260 }}
          />
        </Flex>
        <Button
          type="primary"
          icon={<ExperimentOutlined />}
          loading={starting}
          onClick={() => void start()}
        >
          {t('drills.start')}
        </Button>
      </Flex>
    </Card>
  );
}
