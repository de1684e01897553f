import { ArrowLeftOutlined } from '@ant-design/icons';
import {
  Alert,
  Card,
  Col,
  Descriptions,
  Flex,
  List,
  Row,
  Skeleton,
  Steps,
  Table,
  Typography,
} from 'antd';
import type { DescriptionsProps, TableColumnsType } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { accountChangeApi } from '../../api/correction';
import type { AccountChange, AccountChangeCheck } from '../../api/correction';
import { useT } from '../../i18n';
import { Identifier } from '../common/Identifier';
import { SectionCard } from '../common/SectionCard';
import { useLoader } from '../common/use-loader';
import { CorrectionProblem } from '../documents/problem';
import { correctionText } from '../documents/texts';
import { incidentPath } from '../incidents/paths';
import { merchantPath } from '../merchants/MerchantListPage';
import { NotFoundPage } from '../not-found/NotFoundPage';
import { useNotificationArrivals } from '../notifications/arrivals';
import { useCurrentUser } from '../session/session';
import { ChangeActions } from './ChangeActions';
import { ChangeDocuments } from './ChangeDocuments';
import { AccountChangeStatusTag, CheckResultTag, HighRiskTag } from './ChangeTags';
import { ACCOUNT_CHANGES_PATH } from './paths';
import { canReadChangeQueue } from './permissions';
import { VerificationSection } from './Verification';

/** The way a change goes when nothing stops it. */
const STEPS = [
  'pending_documents',
  'pending_approval',
  'pending_verification',
  'completed',
] as const;

/**
 * One settlement-account change: where it stands, what the checks found, the risk, the documents
 * it needs next to those attached, the approvals, the merchant's consent and the verification;
 * with the actions the caller may take. Staff and the merchant's own users reach it.
 */
export function AccountChangePage() {
  const { t } = useT();
  const user = useCurrentUser();
  const changeId = useParams().changeId ?? '';
  const change = useLoader(changeId, (signal) => accountChangeApi.get(changeId, signal));
  // A change of this merchant's account (completed elsewhere) shows here without a reload.
  useNotificationArrivals((item) => {
    if (item.type.startsWith('account.')) change.refresh();
  });

  if (
    change.status === 'failed' &&
    change.error instanceof ApiError &&
    change.error.status === 404
  ) {
    return <NotFoundPage />;
  }
  const back =
    canReadChangeQueue(user.role) || change.data === undefined ? (
      <Link to={ACCOUNT_CHANGES_PATH}>
        <ArrowLeftOutlined /> {t('correction.change.backToQueue')}
      </Link>
    ) : (
      <Link to={merchantPath(change.data.merchantNo)}>
        <ArrowLeftOutlined /> {t('correction.document.backToMerchant')}
      </Link>
    );
  return (
    <>
      {back}
      {change.status === 'loading' && <Skeleton active style={{ marginTop: 16 }} />}
      {change.status === 'failed' && (
        <div style={{ marginTop: 16 }}>
          <CorrectionProblem error={change.error} onRetry={change.reload} />
        </div>
      )}
      {change.status === 'ready' && <ChangeView change={change.data} onChanged={change.refresh} />}
    </>
  );
}

function ChangeView({ change, onChanged }: { change: AccountChange; onChanged: () => void }) {
  const { t } = useT();
  return (
    <>
      <Flex align="center" gap={12} wrap style={{ margin: '12px 0 16px' }}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('correction.change.title', { account: change.account.accountNumberMasked })}
        </Typography.Title>
        <AccountChangeStatusTag status={change.status} />
        {change.highRisk && <HighRiskTag />}
        <Typography.Text type="secondary">
          {t('merchant.merchantNo')} {change.merchantNo}
        </Typography.Text>
      </Flex>
      <OutcomeBanner change={change} />
      <Card style={{ marginBottom: 16 }}>
        <ChangeSteps change={change} />
        <div style={{ marginTop: 20 }}>
          <ChangeActions change={change} onChanged={onChanged} />
        </div>
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <SectionCard title={t('correction.change.summary')}>
            <Summary change={change} />
          </SectionCard>
        </Col>
        <Col xs={24} xl={12}>
          <SectionCard title={t('correction.change.accounts')}>
            <Accounts change={change} />
          </SectionCard>
        </Col>
      </Row>
      <SectionCard title={t('correction.change.checks')}>
        <Checks checks={change.checks} />
      </SectionCard>
      <SectionCard title={t('correction.change.risk')}>
        <Risk change={change} />
      </SectionCard>
      <SectionCard title={t('correction.change.documents')}>
        <ChangeDocuments change={change} onChanged={onChanged} />
      </SectionCard>
      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <SectionCard title={t('correction.change.approvals')}>
            <Approvals change={change} />
          </SectionCard>
        </Col>
        <Col xs={24} xl={12}>
          <SectionCard title={t('correction.change.consent')}>
            <Consent change={change} />
          </SectionCard>
        </Col>
      </Row>
      <SectionCard title={t('correction.change.verification')}>
        <VerificationSection change={change} onChanged={onChanged} />
      </SectionCard>
    </>
  );
}

/** A request that ended: how, in words. */
function OutcomeBanner({ change }: { change: AccountChange }) {
  const { t, formatDateTime } = useT();
  switch (change.status) {
    case 'completed':
      return (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('correction.change.completedBanner', {
            account: change.account.accountNumberMasked,
          })}
          description={
            change.completedAt === null
              ? undefined
              : t('correction.change.completedAt', { at: formatDateTime(change.completedAt) })
          }
        />
      );
    case 'rejected':
      return (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('correction.change.rejectedBanner')}
          description={
            change.rejection === null
              ? undefined
              : t('correction.change.rejectedReason', { reason: change.rejection.reason })
          }
        />
      );
    case 'locked':
      return (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          title={t('correction.verification.lockedTitle')}
          description={t('correction.verification.lockedText')}
        />
      );
    case 'cancelled':
      return (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('correction.change.cancelledBanner')}
        />
      );
    default:
      return null;
  }
}

/** The words of each step of the way, as a stage rather than the status's sentence. */
const STEP_KEYS = {
  pending_documents: 'correction.step.documents',
  pending_approval: 'correction.step.approval',
  pending_verification: 'correction.step.verification',
  completed: 'correction.step.completed',
} as const;

function ChangeSteps({ change }: { change: AccountChange }) {
  const i18n = useT();
  const index = (STEPS as readonly string[]).indexOf(change.status);
  const ended = index === -1;
  return (
    <Steps
      size="small"
      current={ended ? STEPS.length - 1 : index}
      status={ended ? 'error' : change.status === 'completed' ? 'finish' : 'process'}
      items={STEPS.map((step, position) => ({
        title:
          ended && position === STEPS.length - 1
            ? correctionText(i18n, 'changeStatus', change.status)
            : i18n.t(STEP_KEYS[step]),
      }))}
    />
  );
}

function Summary({ change }: { change: AccountChange }) {
  const { t, tCode, formatDateTime } = useT();
  const items: DescriptionsProps['items'] = [
    {
      key: 'merchant',
      label: t('correction.document.merchant'),
      children: (
        <Link to={merchantPath(change.merchantNo)}>
          {change.merchantName ? `${change.merchantName} ` : ''}
          <Identifier>{change.merchantNo}</Identifier>
        </Link>
      ),
    },
    {
      key: 'incident',
      label: t('correction.change.incident'),
      children:
        change.incidentId === null ? (
          t('common.none')
        ) : (
          <Link to={incidentPath(change.incidentId)}>{t('correction.change.viewIncident')}</Link>
        ),
    },
    {
      key: 'reason',
      label: t('correction.change.reason'),
      children: <span style={{ whiteSpace: 'pre-wrap' }}>{change.reason}</span>,
    },
    {
      key: 'requested',
      label: t('correction.change.requested'),
      children: t('correction.document.uploadedBy', {
        at: formatDateTime(change.requestedAt),
        by: tCode('actor', change.requestedBy) ?? change.requestedBy,
      }),
    },
  ];
  return <Descriptions bordered size="small" column={1} items={items} />;
}

/** The account being replaced next to the one asked for. */
function Accounts({ change }: { change: AccountChange }) {
  const { t, tCode } = useT();
  const none = t('common.none');
  const account = change.account;
  const previous = change.previousAccount;
  const items: DescriptionsProps['items'] = [
    {
      key: 'number',
      label: t('account.number'),
      children: previous === null ? none : <Identifier>{previous.accountNumberMasked}</Identifier>,
    },
    {
      key: 'newNumber',
      label: t('correction.change.newAccountNumber'),
      children: <Identifier>{account.accountNumberMasked}</Identifier>,
    },
    { key: 'name', label: t('account.name'), children: previous?.accountName ?? none },
    { key: 'newName', label: t('correction.change.newAccountName'), children: account.accountName },
    {
      key: 'type',
      label: t('account.type'),
      children: tCode('accountType', account.accountType) ?? account.accountType,
    },
    {
      key: 'bank',
      label: t('account.bank'),
      children: (
        <>
          {account.bankName ?? (account.bankCode === null ? none : null)}
          {account.bankCode !== null && (
            <Typography.Text
              type={account.bankName === null ? undefined : 'secondary'}
              style={{ marginInlineStart: account.bankName === null ? 0 : 8 }}
            >
              <Identifier>{account.bankCode}</Identifier>
            </Typography.Text>
          )}
        </>
      ),
    },
  ];
  return (
    <>
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('correction.change.accountsHint')}
      </Typography.Paragraph>
      <Descriptions bordered size="small" column={2} items={items} />
    </>
  );
}

function Checks({ checks }: { checks: AccountChangeCheck[] }) {
  const i18n = useT();
  const { t, localize } = i18n;
  const columns: TableColumnsType<AccountChangeCheck> = [
    {
      title: t('correction.check.col.check'),
      dataIndex: 'code',
      render: (value: string) => correctionText(i18n, 'check', value),
    },
    {
      title: t('correction.check.col.result'),
      dataIndex: 'result',
      render: (value: AccountChangeCheck['result']) => <CheckResultTag result={value} />,
    },
    {
      title: t('correction.check.col.message'),
      dataIndex: 'message',
      render: (value: AccountChangeCheck['message']) => (
        <div style={{ minWidth: 240, whiteSpace: 'normal' }}>{localize(value)}</div>
      ),
    },
  ];
  return (
    <Table<AccountChangeCheck>
      rowKey="code"
      size="small"
      columns={columns}
      dataSource={checks}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('correction.check.none') }}
    />
  );
}

function Risk({ change }: { change: AccountChange }) {
  const i18n = useT();
  const { t } = i18n;
  if (!change.highRisk && change.riskReasons.length === 0) {
    return <Typography.Text>{t('correction.change.normalRisk')}</Typography.Text>;
  }
  return (
    <Alert
      type="warning"
      showIcon
      title={t('correction.change.highRiskTitle', { needed: change.approvalsNeeded })}
      description={
        <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
          {change.riskReasons.map((reason) => (
            <li key={reason}>{correctionText(i18n, 'riskReason', reason)}</li>
          ))}
        </ul>
      }
    />
  );
}

function Approvals({ change }: { change: AccountChange }) {
  const { t, tCode, formatDateTime } = useT();
  return (
    <Flex vertical gap={12}>
      <Typography.Text strong data-testid="approvals-count">
        {t('correction.change.approvalsCount', {
          given: change.approvals.length,
          needed: change.approvalsNeeded,
        })}
      </Typography.Text>
      <Typography.Text type="secondary">{t('correction.change.fourEyesRule')}</Typography.Text>
      {change.approvals.length > 0 && (
        <List
          size="small"
          bordered
          dataSource={change.approvals}
          renderItem={(approval) => (
            <List.Item>
              <Flex vertical>
                <span>
                  {t('correction.change.approvedBy', {
                    by: tCode('actor', approval.by) ?? approval.by,
                    at: formatDateTime(approval.at),
                  })}
                </span>
                {approval.note !== null && approval.note !== '' && (
                  <Typography.Text type="secondary">{approval.note}</Typography.Text>
                )}
              </Flex>
            </List.Item>
          )}
        />
      )}
      {change.rejection !== null && (
        <Alert
          type="error"
          showIcon
          title={t('correction.change.rejectedBy', {
            by: tCode('actor', change.rejection.by) ?? change.rejection.by,
            at: formatDateTime(change.rejection.at),
          })}
          description={change.rejection.reason}
        />
      )}
    </Flex>
  );
}

function Consent({ change }: { change: AccountChange }) {
  const { t, tCode, formatDateTime } = useT();
  const consent = change.consent;
  if (consent === null) {
    return <Alert type="warning" showIcon title={t('correction.consent.missing')} />;
  }
  const items: DescriptionsProps['items'] = [
    {
      key: 'channel',
      label: t('correction.consent.channel'),
      children: t(`correction.consentChannel.${consent.channel}`),
    },
    {
      key: 'reference',
      label: t('correction.consent.referenceShown'),
      children: consent.reference ?? t('common.none'),
    },
    {
      key: 'recorded',
      label: t('correction.consent.recorded'),
      children: t('correction.document.uploadedBy', {
        at: formatDateTime(consent.recordedAt),
        by: tCode('actor', consent.recordedBy) ?? consent.recordedBy,
      }),
    },
  ];
  return <Descriptions bordered size="small" column={1} items={items} />;
}
