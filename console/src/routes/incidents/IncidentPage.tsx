import { ArrowLeftOutlined } from '@ant-design/icons';
import {
  Alert,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Row,
  Skeleton,
  Steps,
  Tag,
  Typography,
} from 'antd';
import type { DescriptionsProps } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { incidentApi } from '../../api/endpoints';
import type { IncidentDetail } from '../../api/types';
import { useT } from '../../i18n';
import { AlertTable } from '../alerts/AlertTable';
import { Identifier } from '../common/Identifier';
import { formatFen } from '../common/money';
import { ProblemAlert } from '../common/problem';
import { SectionCard } from '../common/SectionCard';
import { IncidentSeverityTag, IncidentStatusTag } from '../common/tags';
import { useLoader } from '../common/use-loader';
import { merchantPath } from '../merchants/MerchantListPage';
import { NotFoundPage } from '../not-found/NotFoundPage';
import { useNotificationArrivals } from '../notifications/arrivals';
import { RemediationSections } from '../remediation/RemediationSections';
import { useCurrentUser } from '../session/session';
import { terminalPath } from '../terminals/TerminalListPage';
import { CaseFileSection } from './CaseFileSection';
import { IncidentCorrection } from './IncidentCorrection';
import { EvidenceSection } from './EvidenceSection';
import { IncidentActions } from './IncidentActions';
import { IncidentTimeline } from './IncidentTimeline';
import { AckDue, DrillTag } from './IncidentTags';
import { LIFECYCLE, lifecycleStep } from './lifecycle';
import { canReadCaseFile, seesInternalWork } from './permissions';
import { knownKey } from './texts';

export function IncidentPage() {
  const { t } = useT();
  const incidentId = useParams().incidentId ?? '';
  const incident = useLoader(incidentId, (signal) => incidentApi.get(incidentId, signal));
  // Someone else acting on this incident (or an escalation) shows here without a reload.
  useNotificationArrivals((item) => {
    if (item.incidentId === incidentId) incident.refresh();
  });

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
      {incident.status === 'ready' && (
        <IncidentView incident={incident.data} onChanged={incident.refresh} />
      )}
    </>
  );
}

function IncidentView({
  incident,
  onChanged,
}: {
  incident: IncidentDetail;
  onChanged: () => void;
}) {
  const { t, localize } = useT();
  const user = useCurrentUser();
  const drill = incident.drill === true;
  return (
    <>
      <Flex align="center" gap={12} wrap style={{ margin: '12px 0 16px' }}>
        {drill && <DrillTag />}
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {localize(incident.title)}
        </Typography.Title>
        <IncidentSeverityTag severity={incident.severity} />
        <IncidentStatusTag status={incident.status} />
      </Flex>
      {drill && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16, borderColor: '#d3adf7', background: '#f9f0ff' }}
          title={t('incident.drillBanner')}
          description={
            incident.scenario
              ? t('incident.drillScenario', { scenario: scenarioText(incident.scenario, t) })
              : undefined
          }
        />
      )}
      {incident.ackOverdue === true && (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          title={t('incident.ackOverdueBanner')}
          description={<AckDue incident={incident} />}
        />
      )}
      <Card style={{ marginBottom: 16 }}>
        <LifecycleSteps incident={incident} />
        <div style={{ marginTop: 20 }}>
          <IncidentActions incident={incident} onChanged={onChanged} />
        </div>
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <SectionCard title={t('incident.summary')}>
            <SummaryDetails incident={incident} />
          </SectionCard>
        </Col>
        <Col xs={24} xl={10}>
          <SectionCard title={t('incident.containment')}>
            <ContainmentDetails incident={incident} />
          </SectionCard>
        </Col>
      </Row>
      {seesInternalWork(user.role) && (
        <SectionCard title={t('incident.findings')}>
          <Findings incident={incident} />
        </SectionCard>
      )}
      <SectionCard title={t('incident.timeline')}>
        <IncidentTimeline incident={incident} onChanged={onChanged} />
      </SectionCard>
      <SectionCard title={t('incident.alerts', { count: incident.alerts.length })}>
        <AlertTable alerts={incident.alerts} loading={false} hideMerchant hideIncident />
      </SectionCard>
      {!drill && (
        <SectionCard title={t('incident.correction')}>
          <IncidentCorrection incident={incident} />
        </SectionCard>
      )}
      <RemediationSections incident={incident} onChanged={onChanged} />
      <SectionCard title={t('incident.evidence')}>
        <EvidenceSection
          incidentId={incident.id}
          onChanged={onChanged}
          closed={incident.status === 'closed'}
        />
      </SectionCard>
      {canReadCaseFile(user.role) && (
        <SectionCard title={t('incident.caseFile')}>
          <CaseFileSection incidentId={incident.id} drill={drill} />
        </SectionCard>
      )}
    </>
  );
}

function scenarioText(scenario: string, t: ReturnType<typeof useT>['t']): string {
  const key = knownKey(`drillScenario.${scenario}`);
  return key === undefined ? scenario : t(key);
}

/** The lifecycle as steps: where the incident is, what is behind it and what is ahead. */
function LifecycleSteps({ incident }: { incident: IncidentDetail }) {
  const { t } = useT();
  const current = lifecycleStep(incident.status);
  return (
    <nav aria-label={t('incident.lifecycle')}>
      <Steps
        size="small"
        current={current}
        status={incident.status === 'closed' ? 'finish' : 'process'}
        items={LIFECYCLE.map((status) => ({
          // The current step is named for screen readers, not only coloured.
          title:
            status === incident.status ? (
              <span aria-current="step">{t(`incidentStatus.${status}`)}</span>
            ) : (
              t(`incidentStatus.${status}`)
            ),
        }))}
      />
    </nav>
  );
}

function SummaryDetails({ incident }: { incident: IncidentDetail }) {
  const { t, formatDateTime } = useT();
  const internal = seesInternalWork(useCurrentUser().role);
  const when = (iso: string | null | undefined, by?: string | null) =>
    iso ? (
      <Identifier>
        {formatDateTime(iso)}
        {by ? ` · ${by}` : ''}
      </Identifier>
    ) : (
      t('common.none')
    );
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
    { key: 'openedAt', label: t('incident.openedAt'), children: when(incident.openedAt) },
    {
      key: 'ack',
      label: t('incident.acknowledgement'),
      children: <AckDue incident={incident} />,
    },
  ];
  if (internal) {
    items.splice(1, 0, {
      key: 'assignee',
      label: t('incident.assignee'),
      children: incident.assignee ? (
        <Identifier>{incident.assignee}</Identifier>
      ) : (
        <Typography.Text type="secondary">{t('incidents.unassigned')}</Typography.Text>
      ),
    });
  }
  if (incident.resolvedAt) {
    items.push({
      key: 'resolvedAt',
      label: t('incident.resolvedAt'),
      children: when(incident.resolvedAt),
    });
  }
  if (incident.closedAt) {
    items.push({
      key: 'closedAt',
      label: t('incident.closedAt'),
      children: when(incident.closedAt),
    });
  }
  items.push(
    { key: 'updatedAt', label: t('incident.updatedAt'), children: when(incident.updatedAt) },
    {
      key: 'id',
      label: t('incident.id'),
      children: (
        <Typography.Text code copyable>
          {incident.id}
        </Typography.Text>
      ),
    },
  );
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
      column={1}
      items={items}
      styles={{ label: { whiteSpace: 'nowrap', width: 140 } }}
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
  if (incident.heldMoney !== undefined && incident.heldMoney.amountFen > 0) {
    items.push({
      key: 'heldMoney',
      label: t('incident.heldMoney'),
      children: (
        <Typography.Text strong type="danger">
          {t('incident.heldMoneyValue', {
            amount: formatFen(incident.heldMoney.amountFen),
            lines: incident.heldMoney.lineCount,
          })}
        </Typography.Text>
      ),
    });
  }
  if (incident.heldMoneyPlan) {
    items.push({
      key: 'plan',
      label: t('incident.heldMoneyPlan'),
      children: <span style={{ whiteSpace: 'pre-wrap' }}>{incident.heldMoneyPlan}</span>,
    });
  }
  return (
    <>
      {incident.drill === true && (
        <Typography.Paragraph type="secondary">
          {t('incident.drillContainment')}
        </Typography.Paragraph>
      )}
      <Descriptions
        bordered
        size="small"
        column={1}
        items={items}
        styles={{ label: { whiteSpace: 'nowrap', width: 160 } }}
      />
    </>
  );
}

/** The root cause and the post-mortem: what went wrong, and what the acquirer learned. */
function Findings({ incident }: { incident: IncidentDetail }) {
  const { t, formatDateTime } = useT();
  const rootCause = incident.rootCause ?? null;
  const postMortem = incident.postMortem ?? null;
  return (
    <Row gutter={[24, 16]}>
      <Col xs={24} lg={12}>
        <Typography.Title level={3} style={{ fontSize: 15, marginTop: 0 }}>
          {t('incident.rootCause')}
        </Typography.Title>
        {rootCause === null ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incident.rootCause.none')} />
        ) : (
          <Descriptions
            size="small"
            column={1}
            items={[
              {
                key: 'category',
                label: t('incident.rootCause.category'),
                children: <Tag color="geekblue">{t(`rootCause.${rootCause.category}`)}</Tag>,
              },
              ...(rootCause.operator
                ? [
                    {
                      key: 'operator',
                      label: t('incident.rootCause.operator'),
                      children: <Identifier>{rootCause.operator}</Identifier>,
                    },
                  ]
                : []),
              {
                key: 'detail',
                label: t('incident.rootCause.detail'),
                children: <span style={{ whiteSpace: 'pre-wrap' }}>{rootCause.detail}</span>,
              },
              {
                key: 'recorded',
                label: t('incident.recordedBy'),
                children: `${rootCause.recordedBy} · ${formatDateTime(rootCause.recordedAt)}`,
              },
            ]}
          />
        )}
      </Col>
      <Col xs={24} lg={12}>
        <Typography.Title level={3} style={{ fontSize: 15, marginTop: 0 }}>
          {t('incident.postMortem')}
        </Typography.Title>
        {postMortem === null ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incident.postMortem.none')} />
        ) : (
          <>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>
              {postMortem.summary}
            </Typography.Paragraph>
            <Typography.Text strong>{t('incident.postMortem.lessons')}</Typography.Text>
            <ol style={{ margin: '4px 0 8px', paddingInlineStart: 20 }}>
              {postMortem.lessons.map((lesson, index) => (
                <li key={`${index}:${lesson}`}>{lesson}</li>
              ))}
            </ol>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('incident.recordedByLine', {
                username: postMortem.recordedBy,
                at: formatDateTime(postMortem.recordedAt),
              })}
            </Typography.Text>
          </>
        )}
      </Col>
    </Row>
  );
}
