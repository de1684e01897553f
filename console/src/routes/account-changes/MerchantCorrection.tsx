import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Skeleton, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { FINAL_ACCOUNT_CHANGE_STATUSES, accountChangeApi, documentApi } from '../../api/correction';
import type { AccountChange } from '../../api/correction';
import type { MerchantDetail } from '../../api/types';
import { useT } from '../../i18n';
import { Identifier } from '../common/Identifier';
import { SectionCard } from '../common/SectionCard';
import { useLoader } from '../common/use-loader';
import { MerchantDocuments } from '../documents/MerchantDocuments';
import { CorrectionProblem } from '../documents/problem';
import { incidentPath } from '../incidents/paths';
import { useCurrentUser } from '../session/session';
import { AccountChangeStatusTag, HighRiskTag } from './ChangeTags';
import { accountChangePath } from './paths';
import { canRequestAccountChange } from './permissions';
import { RequestChangeDialog } from './RequestChangeDialog';

/**
 * On a merchant's page, below its account: what is being done to correct where its money goes.
 * Its account changes (the open one first, with what it waits for), a way to ask for one, and its
 * documents with what is still missing and why any was sent back. A merchant user in an open
 * incident is told first what happened to its money and what to do.
 */
export function MerchantCorrection({
  merchant,
  onChanged,
}: {
  merchant: MerchantDetail;
  onChanged: () => void;
}) {
  const { t } = useT();
  const merchantNo = merchant.merchantNo;
  const documents = useLoader(`documents:${merchantNo}`, (signal) =>
    documentApi.ofMerchant(merchantNo, signal),
  );
  const changes = useLoader(`changes:${merchantNo}`, (signal) =>
    accountChangeApi.ofMerchant(merchantNo, signal),
  );
  // Read again with what is shown kept on screen, so that the form and its message stay.
  const changed = () => {
    documents.refresh();
    changes.refresh();
    onChanged();
  };
  const open =
    changes.data?.items.find((change) => !FINAL_ACCOUNT_CHANGE_STATUSES.includes(change.status)) ??
    null;

  return (
    <>
      <MerchantGuidance merchant={merchant} open={open} />
      <SectionCard title={t('correction.merchant.changesTitle')}>
        {changes.status === 'loading' && <Skeleton active paragraph={{ rows: 2 }} />}
        {changes.status === 'failed' && (
          <CorrectionProblem error={changes.error} onRetry={changes.reload} />
        )}
        {changes.status === 'ready' && (
          <MerchantChanges
            merchantNo={merchantNo}
            changes={changes.data.items}
            open={open}
            documents={documents.data?.items ?? []}
            onChanged={changed}
          />
        )}
      </SectionCard>
      <SectionCard title={t('correction.merchant.documentsTitle')}>
        {documents.status === 'loading' && <Skeleton active paragraph={{ rows: 2 }} />}
        {documents.status === 'failed' && (
          <CorrectionProblem error={documents.error} onRetry={documents.reload} />
        )}
        {documents.status === 'ready' && (
          <MerchantDocuments
            merchantNo={merchantNo}
            documents={documents.data.items}
            missing={open?.requiredDocuments ?? []}
            onUploaded={changed}
          />
        )}
      </SectionCard>
    </>
  );
}

/**
 * For the merchant's own users: in an incident, what happened to its money and the steps asked of
 * it, with the incident and the held money a click away (the pages that already say it in full).
 */
function MerchantGuidance({
  merchant,
  open,
}: {
  merchant: MerchantDetail;
  open: AccountChange | null;
}) {
  const { t } = useT();
  const user = useCurrentUser();
  if (user.role !== 'merchant') return null;
  const incidentId = merchant.openIncidentId ?? null;
  const held = merchant.settlementHold != null;
  if (incidentId === null && !held && open === null) return null;
  const step =
    open === null
      ? t('correction.merchant.stepRequest')
      : open.requiredDocuments.length > 0
        ? t('correction.merchant.stepDocuments', { count: open.requiredDocuments.length })
        : open.status === 'pending_verification'
          ? t('correction.merchant.stepVerify')
          : t('correction.merchant.stepWait');
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      title={t('correction.merchant.guidanceTitle')}
      description={
        <Flex vertical gap={4}>
          {incidentId !== null && <span>{t('correction.merchant.incidentText')}</span>}
          {held && <span>{t('correction.merchant.heldText')}</span>}
          <span>{step}</span>
          <Flex gap={16} wrap>
            {incidentId !== null && (
              <Link to={incidentPath(incidentId)}>{t('correction.merchant.viewIncident')}</Link>
            )}
            {held && <a href="#held-money">{t('correction.merchant.viewHeld')}</a>}
            {open !== null && (
              <Link to={accountChangePath(open.id)}>{t('correction.merchant.viewChange')}</Link>
            )}
          </Flex>
        </Flex>
      }
    />
  );
}

function MerchantChanges({
  merchantNo,
  changes,
  open,
  documents,
  onChanged,
}: {
  merchantNo: string;
  changes: AccountChange[];
  open: AccountChange | null;
  documents: Parameters<typeof RequestChangeDialog>[0]['documents'];
  onChanged: () => void;
}) {
  const { t, tCode, formatDateTime } = useT();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const [requesting, setRequesting] = useState(false);
  const canRequest = canRequestAccountChange(user.role) && open === null;
  const columns: TableColumnsType<AccountChange> = [
    {
      title: t('correction.changes.col.requestedAt'),
      dataIndex: 'requestedAt',
      render: (value: string, record) => (
        <Link to={accountChangePath(record.id)}>
          <Identifier>{formatDateTime(value)}</Identifier>
        </Link>
      ),
    },
    {
      title: t('correction.changes.col.account'),
      key: 'account',
      render: (_: unknown, record) => (
        <span>
          <Typography.Text code>{record.account.accountNumberMasked}</Typography.Text>{' '}
          {record.account.accountName}
        </span>
      ),
    },
    {
      title: t('correction.changes.col.status'),
      key: 'status',
      render: (_: unknown, record) => (
        <Flex gap={4} wrap>
          <AccountChangeStatusTag status={record.status} />
          {record.highRisk && <HighRiskTag />}
        </Flex>
      ),
    },
    {
      title: t('correction.changes.col.missing'),
      key: 'missing',
      render: (_: unknown, record) =>
        FINAL_ACCOUNT_CHANGE_STATUSES.includes(record.status)
          ? t('common.none')
          : record.requiredDocuments.length === 0
            ? t('correction.change.noneMissing')
            : t('correction.changes.missingCount', { count: record.requiredDocuments.length }),
    },
    {
      title: t('correction.changes.col.requestedBy'),
      dataIndex: 'requestedBy',
      render: (value: string) => <Identifier>{tCode('actor', value) ?? value}</Identifier>,
    },
  ];
  return (
    <Flex vertical gap={12}>
      {open === null && canRequestAccountChange(user.role) && (
        <Typography.Text type="secondary">{t('correction.merchant.requestHint')}</Typography.Text>
      )}
      {open !== null && (
        <Alert
          type={open.status === 'pending_verification' ? 'warning' : 'info'}
          showIcon
          title={t('correction.merchant.openChange', {
            account: open.account.accountNumberMasked,
            status: t(`correction.changeStatus.${open.status}`),
          })}
          action={
            <Link to={accountChangePath(open.id)} style={{ whiteSpace: 'nowrap' }}>
              {t('correction.merchant.viewChange')}
            </Link>
          }
        />
      )}
      {canRequest && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          style={{ alignSelf: 'flex-start' }}
          onClick={() => setRequesting(true)}
        >
          {t('correction.request.open')}
        </Button>
      )}
      <Table<AccountChange>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={changes}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('correction.changes.empty') }}
      />
      {canRequestAccountChange(user.role) && (
        <RequestChangeDialog
          open={requesting}
          merchantNo={merchantNo}
          documents={documents}
          onClose={() => setRequesting(false)}
          onCreated={(change) => {
            setRequesting(false);
            onChanged();
            void navigate(accountChangePath(change.id));
          }}
        />
      )}
    </Flex>
  );
}
