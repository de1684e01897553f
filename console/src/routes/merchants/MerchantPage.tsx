import { ArrowLeftOutlined, PauseCircleOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Flex, Skeleton, Table, Typography, message } from 'antd';
import type { DescriptionsProps, TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { alertApi, merchantApi } from '../../api/endpoints';
import type { MerchantDetail, MerchantTerminal, SettlementAccountVersion } from '../../api/types';
import { useT } from '../../i18n';
import { AlertTable } from '../alerts/AlertTable';
import { incidentPath } from '../incidents/paths';
import { NotFoundPage } from '../not-found/NotFoundPage';
import { LoadMore } from '../common/LoadMore';
import { ProblemAlert } from '../common/problem';
import { Identifier } from '../common/Identifier';
import { SectionCard } from '../common/SectionCard';
import {
  AccountStatusTag,
  MerchantStatusTag,
  MerchantTypeText,
  NameCheckTag,
  TerminalStatusTag,
} from '../common/tags';
import { useCursorList } from '../common/use-cursor-list';
import { useLoader } from '../common/use-loader';
import { canChangeTerminalStatus } from '../session/permissions';
import { useCurrentUser } from '../session/session';
import { MerchantSettlement } from '../settlement/MerchantSettlement';
import { MerchantCorrection } from '../account-changes/MerchantCorrection';
import { AccountDetails } from './AccountDetails';
import { TerminalStatusDialog } from './TerminalStatusDialog';
import type { TerminalStatusAction } from './TerminalStatusDialog';

/** How many of a merchant's alerts its page shows before "load more". */
const MERCHANT_ALERTS_PAGE = 20;

function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

export function MerchantPage() {
  const { t } = useT();
  const merchantNo = useParams().merchantNo ?? '';
  const merchant = useLoader(merchantNo, (signal) => merchantApi.get(merchantNo, signal));

  if (merchant.status === 'failed' && isNotFound(merchant.error)) return <NotFoundPage />;

  return (
    <>
      <Link to="/merchants">
        <ArrowLeftOutlined /> {t('merchant.backToList')}
      </Link>
      {merchant.status === 'loading' && <Skeleton active style={{ marginTop: 16 }} />}
      {merchant.status === 'failed' && (
        <div style={{ marginTop: 16 }}>
          <ProblemAlert error={merchant.error} onRetry={merchant.reload} />
        </div>
      )}
      {merchant.status === 'ready' && (
        <MerchantView merchant={merchant.data} onChanged={merchant.refresh} />
      )}
    </>
  );
}

function MerchantView({
  merchant,
  onChanged,
}: {
  merchant: MerchantDetail;
  onChanged: () => void;
}) {
  const { t } = useT();
  return (
    <>
      <Flex align="center" gap={12} wrap style={{ margin: '12px 0 16px' }}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {merchant.name}
        </Typography.Title>
        <MerchantStatusTag status={merchant.status} />
        <Typography.Text type="secondary">
          {t('merchant.merchantNo')} {merchant.merchantNo}
        </Typography.Text>
      </Flex>
      <RiskBanner merchant={merchant} />
      <SectionCard title={t('merchant.identity')}>
        <IdentityDetails merchant={merchant} />
      </SectionCard>
      <SectionCard title={t('account.current')}>
        {merchant.settlementAccount === null ? (
          <Alert type="warning" showIcon title={t('account.none')} />
        ) : (
          <AccountDetails account={merchant.settlementAccount} />
        )}
      </SectionCard>
      <SectionCard title={t('account.history')}>
        <AccountHistory merchantNo={merchant.merchantNo} />
      </SectionCard>
      <MerchantCorrection merchant={merchant} onChanged={onChanged} />
      <SectionCard title={t('terminals.ofMerchant', { count: merchant.terminals.length })}>
        <MerchantTerminals terminals={merchant.terminals} onChanged={onChanged} />
      </SectionCard>
      <div id="held-money" />
      <MerchantSettlement
        merchantNo={merchant.merchantNo}
        holdRules={merchant.settlementHold?.rules ?? []}
        onChanged={onChanged}
      />
      <SectionCard title={t('merchant.alerts')}>
        <MerchantAlerts merchantNo={merchant.merchantNo} />
      </SectionCard>
    </>
  );
}

/** Above everything else: the merchant is in an open incident, or its money is held. */
function RiskBanner({ merchant }: { merchant: MerchantDetail }) {
  const { t, tCode, formatDateTime } = useT();
  const incidentId = merchant.openIncidentId ?? null;
  const hold = merchant.settlementHold ?? null;
  if (incidentId === null && hold === null) return null;
  const holdText =
    hold === null ? undefined : t('merchant.holdBanner', { since: formatDateTime(hold.since) });
  // An automatic hold names its rules, which read in the user's language; a person's hold
  // carries their own words.
  const reasonText =
    hold === null
      ? ''
      : hold.rules !== undefined && hold.rules.length > 0
        ? hold.rules.map((rule) => tCode('rule', rule) ?? rule).join(t('common.listSeparator'))
        : hold.reason;
  const holdReason = hold === null ? undefined : t('merchant.holdReason', { reason: reasonText });
  const linkTo = incidentId ?? hold?.incidentId ?? null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      title={incidentId !== null ? t('merchant.incidentBanner') : holdText}
      description={
        incidentId !== null && hold !== null ? (
          <>
            <span style={{ display: 'block' }}>{holdText}</span>
            {holdReason}
          </>
        ) : (
          holdReason
        )
      }
      action={
        linkTo === null ? undefined : (
          <Link to={incidentPath(linkTo)} style={{ whiteSpace: 'nowrap' }}>
            {t('merchant.viewIncident')}
          </Link>
        )
      }
    />
  );
}

function MerchantAlerts({ merchantNo }: { merchantNo: string }) {
  const { t } = useT();
  const list = useCursorList(merchantNo, (cursor, signal) =>
    alertApi.list({ merchantNo }, cursor, signal, MERCHANT_ALERTS_PAGE),
  );
  if (list.error !== undefined && list.items.length === 0) {
    return <ProblemAlert error={list.error} onRetry={list.retry} />;
  }
  return (
    <>
      <AlertTable
        alerts={list.items}
        loading={list.loading && list.items.length === 0}
        hideMerchant
        emptyText={t('merchant.alertsEmpty')}
      />
      <LoadMore list={list} />
    </>
  );
}

function IdentityDetails({ merchant }: { merchant: MerchantDetail }) {
  const { t, formatDateTime } = useT();
  const none = t('common.none');
  const items: DescriptionsProps['items'] = [
    {
      key: 'merchantNo',
      label: t('merchant.merchantNo'),
      children: <Identifier>{merchant.merchantNo}</Identifier>,
    },
    { key: 'name', label: t('merchant.name'), children: merchant.name },
    {
      key: 'type',
      label: t('merchant.type'),
      children: <MerchantTypeText type={merchant.type} />,
    },
    {
      key: 'status',
      label: t('merchant.status'),
      children: <MerchantStatusTag status={merchant.status} />,
    },
    {
      key: 'uscc',
      label: t('merchant.uscc'),
      children: (
        <Flex vertical gap={4}>
          <Identifier>{merchant.uscc ?? none}</Identifier>
          {merchant.usccChecksumOverrideReason !== null && (
            <Typography.Text type="warning">
              {t('merchant.usccOverride', { reason: merchant.usccChecksumOverrideReason })}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    { key: 'mcc', label: t('merchant.mcc'), children: merchant.mcc },
    { key: 'legalPerson', label: t('merchant.legalPerson'), children: merchant.legalPerson.name },
    {
      key: 'legalPersonId',
      label: t('merchant.legalPersonId'),
      children: <Identifier>{merchant.legalPerson.idNumberMasked}</Identifier>,
    },
    {
      key: 'phone',
      label: t('merchant.phone'),
      children: <Identifier>{merchant.contactPhoneMasked ?? none}</Identifier>,
    },
    { key: 'address', label: t('merchant.address'), children: merchant.address ?? none },
    {
      key: 'validFrom',
      label: t('merchant.validFrom'),
      children: formatDateTime(merchant.validFrom),
    },
  ];
  return <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }} items={items} />;
}

function AccountHistory({ merchantNo }: { merchantNo: string }) {
  const { t, tCode, formatDateTime } = useT();
  const history = useLoader(merchantNo, (signal) => merchantApi.accountHistory(merchantNo, signal));
  if (history.status === 'failed') {
    return <ProblemAlert error={history.error} onRetry={history.reload} />;
  }
  const columns: TableColumnsType<SettlementAccountVersion> = [
    {
      title: t('account.validFrom'),
      dataIndex: 'validFrom',
      render: (value: string) => formatDateTime(value),
    },
    {
      title: t('account.validTo'),
      dataIndex: 'validTo',
      render: (value: string | null) =>
        value === null ? t('common.present') : formatDateTime(value),
    },
    {
      title: t('account.number'),
      dataIndex: 'accountNumberMasked',
      render: (value: string) => <Typography.Text code>{value}</Typography.Text>,
    },
    { title: t('account.name'), dataIndex: 'accountName' },
    {
      title: t('account.type'),
      dataIndex: 'accountType',
      render: (value: string) => tCode('accountType', value) ?? value,
    },
    {
      title: t('account.bank'),
      dataIndex: 'bankName',
      render: (value: string | null) => value ?? t('common.none'),
    },
    {
      title: t('account.status'),
      dataIndex: 'status',
      render: (value: SettlementAccountVersion['status']) => <AccountStatusTag status={value} />,
    },
    {
      title: t('account.nameCheck'),
      key: 'nameCheck',
      render: (_: unknown, record) => <NameCheckTag result={record.nameCheck.result} />,
    },
  ];
  return (
    <Table<SettlementAccountVersion>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={history.data?.items ?? []}
      loading={history.status === 'loading'}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('account.historyEmpty') }}
    />
  );
}

function MerchantTerminals({
  terminals,
  onChanged,
}: {
  terminals: MerchantTerminal[];
  onChanged: () => void;
}) {
  const { t } = useT();
  const user = useCurrentUser();
  const [target, setTarget] = useState<{
    terminalId: string;
    action: TerminalStatusAction;
  } | null>(null);
  const [toast, toastHolder] = message.useMessage();
  const none = t('common.none');
  const canChange = canChangeTerminalStatus(user.role);
  const columns: TableColumnsType<MerchantTerminal> = [
    { title: t('terminals.col.terminalId'), dataIndex: 'terminalId' },
    { title: t('terminals.col.serialNumber'), dataIndex: 'serialNumber' },
    { title: t('terminals.col.model'), dataIndex: 'model' },
    { title: t('terminals.col.firmware'), dataIndex: 'firmwareVersion' },
    {
      title: t('terminals.col.status'),
      dataIndex: 'status',
      render: (value: MerchantTerminal['status'], record) => (
        <TerminalStatusTag status={value} reason={record.statusReason} />
      ),
    },
    {
      title: t('terminals.col.statusReason'),
      dataIndex: 'statusReason',
      render: (value: string | null | undefined, record) =>
        record.suspendedByIncidentId ? (
          <Link to={incidentPath(record.suspendedByIncidentId)}>
            {t('terminals.suspendedByIncident')}
          </Link>
        ) : (
          <div style={{ maxWidth: 320, whiteSpace: 'normal' }}>{value ?? none}</div>
        ),
    },
    {
      title: t('terminals.col.location'),
      dataIndex: 'location',
      render: (value: string | null) => value ?? none,
    },
  ];
  if (canChange) {
    columns.push({
      title: t('terminalAction.column'),
      key: 'actions',
      render: (_: unknown, record) => {
        if (record.status === 'active') {
          return (
            <Button
              size="small"
              danger
              icon={<PauseCircleOutlined />}
              onClick={() => setTarget({ terminalId: record.terminalId, action: 'suspend' })}
            >
              {t('terminalAction.suspend')}
            </Button>
          );
        }
        if (record.status === 'suspended') {
          return (
            <Button
              size="small"
              icon={<PlayCircleOutlined />}
              onClick={() => setTarget({ terminalId: record.terminalId, action: 'resume' })}
            >
              {t('terminalAction.resume')}
            </Button>
          );
        }
        return none;
      },
    });
  }
  return (
    <>
      {toastHolder}
      <Table<MerchantTerminal>
        rowKey="terminalId"
        size="small"
        columns={columns}
        dataSource={terminals}
        pagination={terminals.length > 20 ? { pageSize: 20 } : false}
        scroll={{ x: 'max-content' }}
      />
      {canChange && (
        <TerminalStatusDialog
          target={target}
          onClose={() => setTarget(null)}
          onDone={(terminalId, action) => {
            setTarget(null);
            void toast.success(
              t(action === 'suspend' ? 'terminalAction.suspended' : 'terminalAction.resumed', {
                terminalId,
              }),
            );
            onChanged();
          }}
        />
      )}
    </>
  );
}
