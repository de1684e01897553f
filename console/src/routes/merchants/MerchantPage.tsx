import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Descriptions, Flex, Skeleton, Table, Typography } from 'antd';
import type { DescriptionsProps, TableColumnsType } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { merchantApi } from '../../api/endpoints';
import type { MerchantDetail, MerchantTerminal, SettlementAccountVersion } from '../../api/types';
import { useT } from '../../i18n';
import { NotFoundPage } from '../not-found/NotFoundPage';
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
import { useLoader } from '../common/use-loader';
import { AccountDetails } from './AccountDetails';

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
      {merchant.status === 'ready' && <MerchantView merchant={merchant.data} />}
    </>
  );
}

function MerchantView({ merchant }: { merchant: MerchantDetail }) {
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
      <SectionCard title={t('terminals.ofMerchant', { count: merchant.terminals.length })}>
        <MerchantTerminals terminals={merchant.terminals} />
      </SectionCard>
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

function MerchantTerminals({ terminals }: { terminals: MerchantTerminal[] }) {
  const { t } = useT();
  const none = t('common.none');
  const columns: TableColumnsType<MerchantTerminal> = [
    { title: t('terminals.col.terminalId'), dataIndex: 'terminalId' },
    { title: t('terminals.col.serialNumber'), dataIndex: 'serialNumber' },
    { title: t('terminals.col.model'), dataIndex: 'model' },
    { title: t('terminals.col.firmware'), dataIndex: 'firmwareVersion' },
    {
      title: t('terminals.col.status'),
      dataIndex: 'status',
      render: (value: MerchantTerminal['status']) => <TerminalStatusTag status={value} />,
    },
    {
      title: t('terminals.col.location'),
      dataIndex: 'location',
      render: (value: string | null) => value ?? none,
    },
  ];
  return (
    <Table<MerchantTerminal>
      rowKey="terminalId"
      size="small"
      columns={columns}
      dataSource={terminals}
      pagination={terminals.length > 20 ? { pageSize: 20 } : false}
      scroll={{ x: 'max-content' }}
    />
  );
}
