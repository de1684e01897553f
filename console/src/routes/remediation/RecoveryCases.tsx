import { AuditOutlined, DollarOutlined } from '@ant-design/icons';
import { Button, Descriptions, Empty, Flex, Form, Input, Table, Tag, Typography } from 'antd';
import type { DescriptionsProps, TableColumnsType } from 'antd';
import { useState } from 'react';
import { remediationApi } from '../../api/remediation';
import type { RecoveryCase, RecoveryReceipt } from '../../api/remediation';
import { useT } from '../../i18n';
import { Identifier } from '../common/Identifier';
import { formatFen } from '../common/money';
import { ActionDialog } from '../incidents/ActionDialog';
import { AmountField, NOTE_LENGTH_MAX, REFERENCE_LENGTH_MAX } from './fields';
import { fenToYuanText, yuanToFen } from './model';
import { useRemediationText } from './tags';

type Dialog =
  | { kind: 'receipt'; recoveryCase: RecoveryCase }
  | { kind: 'writeOff'; recoveryCase: RecoveryCase };

/**
 * The recovery case against the holder of the wrong account: what is owed back, what came back
 * (each receipt with the bank's reference) and what was written off. Nothing here moves money by
 * itself; each entry is a ledger posting the server makes.
 */
export function RecoveryCases(props: {
  cases: RecoveryCase[];
  loading: boolean;
  canRecordReceipt: boolean;
  canWriteOff: boolean;
  onChanged: (message: string) => void;
}) {
  const { t } = useT();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  if (!props.loading && props.cases.length === 0) {
    return (
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('remediation.recovery.none')} />
    );
  }
  return (
    <Flex vertical gap={24}>
      {props.cases.map((recoveryCase) => (
        <CaseView
          key={recoveryCase.id}
          recoveryCase={recoveryCase}
          canRecordReceipt={props.canRecordReceipt}
          canWriteOff={props.canWriteOff}
          onReceipt={() => setDialog({ kind: 'receipt', recoveryCase })}
          onWriteOff={() => setDialog({ kind: 'writeOff', recoveryCase })}
        />
      ))}
      {/* Keyed by the case: each form starts from its own case's figures. */}
      <ReceiptDialog
        key={`receipt:${dialog?.recoveryCase.id ?? ''}`}
        recoveryCase={dialog?.kind === 'receipt' ? dialog.recoveryCase : null}
        onClose={() => setDialog(null)}
        onDone={() => {
          setDialog(null);
          props.onChanged(t('remediation.recovery.receiptRecorded'));
        }}
      />
      <WriteOffDialog
        key={`write-off:${dialog?.recoveryCase.id ?? ''}`}
        recoveryCase={dialog?.kind === 'writeOff' ? dialog.recoveryCase : null}
        onClose={() => setDialog(null)}
        onDone={() => {
          setDialog(null);
          props.onChanged(t('remediation.recovery.writtenOff'));
        }}
      />
    </Flex>
  );
}

function CaseView(props: {
  recoveryCase: RecoveryCase;
  canRecordReceipt: boolean;
  canWriteOff: boolean;
  onReceipt: () => void;
  onWriteOff: () => void;
}) {
  const { t, formatDateTime } = useT();
  const text = useRemediationText();
  const item = props.recoveryCase;
  const settled = item.status !== 'open' || item.outstandingFen <= 0;
  const figures: DescriptionsProps['items'] = [
    {
      key: 'account',
      label: t('remediation.recovery.account'),
      children: (
        <Identifier>
          {[item.accountNumberMasked, item.accountName].filter(Boolean).join(' · ') ||
            t('common.none')}
        </Identifier>
      ),
    },
    {
      key: 'status',
      label: t('remediation.recovery.status'),
      children: (
        <Tag color={settled ? 'green' : 'orange'}>{text('recoveryStatus', item.status)}</Tag>
      ),
    },
    {
      key: 'amount',
      label: t('remediation.recovery.amount'),
      children: <Identifier>{formatFen(item.amountFen)}</Identifier>,
    },
    ...(item.advancedFen === undefined
      ? []
      : [
          {
            key: 'advanced',
            label: t('remediation.recovery.advanced'),
            children: <Identifier>{formatFen(item.advancedFen)}</Identifier>,
          },
        ]),
    {
      key: 'recovered',
      label: t('remediation.recovery.recovered'),
      children: (
        <Identifier>
          {formatFen(item.recoveredFen)}
          {(item.passedThroughFen ?? 0) > 0 &&
            t('remediation.recovery.passedThrough', {
              amount: formatFen(item.passedThroughFen ?? 0),
            })}
        </Identifier>
      ),
    },
    {
      key: 'writtenOff',
      label: t('remediation.recovery.writtenOffAmount'),
      children: <Identifier>{formatFen(item.writtenOffFen)}</Identifier>,
    },
    {
      key: 'outstanding',
      label: t('remediation.recovery.outstanding'),
      children: (
        <Typography.Text strong type={settled ? 'success' : 'danger'}>
          <Identifier>{formatFen(item.outstandingFen)}</Identifier>
        </Typography.Text>
      ),
    },
  ];
  if ((item.abandonedFen ?? 0) > 0) {
    figures.push({
      key: 'abandoned',
      label: t('remediation.recovery.abandoned'),
      children: <Identifier>{formatFen(item.abandonedFen ?? 0)}</Identifier>,
    });
  }
  if (item.writeOff) {
    figures.push({
      key: 'writeOff',
      label: t('remediation.recovery.writeOffReason'),
      span: 2,
      children: (
        <span style={{ whiteSpace: 'pre-wrap' }}>
          {item.writeOff.reason}
          <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 8 }}>
            <Identifier>
              {[item.writeOff.by, formatDateTime(item.writeOff.at)].filter(Boolean).join(' · ')}
            </Identifier>
          </Typography.Text>
        </span>
      ),
    });
  }
  const columns: TableColumnsType<RecoveryReceipt> = [
    {
      title: t('remediation.recovery.col.recordedAt'),
      dataIndex: 'recordedAt',
      render: (value: string) => <Identifier>{formatDateTime(value)}</Identifier>,
    },
    {
      title: t('remediation.recovery.col.amount'),
      dataIndex: 'amountFen',
      align: 'right',
      render: (value: number) => <Identifier>{formatFen(value)}</Identifier>,
    },
    {
      title: t('remediation.recovery.col.reference'),
      dataIndex: 'reference',
      render: (value: string) => <Typography.Text copyable>{value}</Typography.Text>,
    },
    {
      title: t('remediation.recovery.col.recordedBy'),
      dataIndex: 'recordedBy',
      render: (value: string | undefined) => <Identifier>{value ?? t('common.none')}</Identifier>,
    },
  ];
  return (
    <section
      aria-label={t('remediation.recovery.caseLabel', {
        account: item.accountNumberMasked ?? item.id,
      })}
    >
      <Descriptions bordered size="small" column={{ xs: 1, lg: 2 }} items={figures} />
      {!settled && (props.canRecordReceipt || props.canWriteOff) && (
        <Flex gap={8} wrap style={{ marginTop: 12 }}>
          {props.canRecordReceipt && (
            <Button type="primary" icon={<DollarOutlined />} onClick={props.onReceipt}>
              {t('remediation.recovery.recordReceipt')}
            </Button>
          )}
          {props.canWriteOff && (
            <Button danger icon={<AuditOutlined />} onClick={props.onWriteOff}>
              {t('remediation.recovery.writeOff')}
            </Button>
          )}
        </Flex>
      )}
      <Typography.Title level={3} style={{ fontSize: 14, margin: '16px 0 8px' }}>
        {t('remediation.recovery.receipts')}
      </Typography.Title>
      <Table<RecoveryReceipt>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={item.receipts}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('remediation.recovery.noReceipts') }}
      />
    </section>
  );
}

interface ReceiptValues {
  amount: string;
  reference: string;
}

function ReceiptDialog(props: {
  recoveryCase: RecoveryCase | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useT();
  const [form] = Form.useForm<ReceiptValues>();
  const item = props.recoveryCase;
  return (
    <ActionDialog<ReceiptValues>
      open={item !== null}
      title={t('remediation.recovery.receipt.title')}
      hint={
        item === null
          ? undefined
          : t('remediation.recovery.receipt.hint', { outstanding: formatFen(item.outstandingFen) })
      }
      confirm={t('remediation.recovery.receipt.confirm')}
      form={form}
      initialValues={{
        amount: item === null ? '' : fenToYuanText(item.outstandingFen),
        reference: '',
      }}
      onClose={props.onClose}
      onSubmit={async (values) => {
        if (item === null) return;
        await remediationApi.receipt(item.id, {
          amountFen: yuanToFen(values.amount) ?? 0,
          reference: values.reference.trim(),
        });
        props.onDone();
      }}
    >
      <AmountField
        name="amount"
        label={t('remediation.recovery.receipt.amount')}
        maxFen={item?.outstandingFen}
      />
      <Form.Item
        name="reference"
        label={t('remediation.recovery.receipt.reference')}
        extra={t('remediation.recovery.receipt.referenceHint')}
        rules={[
          {
            required: true,
            whitespace: true,
            message: t('remediation.recovery.receipt.referenceRequired'),
          },
        ]}
      >
        <Input maxLength={REFERENCE_LENGTH_MAX} autoComplete="off" />
      </Form.Item>
    </ActionDialog>
  );
}

function WriteOffDialog(props: {
  recoveryCase: RecoveryCase | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useT();
  const [form] = Form.useForm<{ reason: string }>();
  const item = props.recoveryCase;
  return (
    <ActionDialog<{ reason: string }>
      open={item !== null}
      danger
      title={t('remediation.recovery.writeOff.title')}
      hint={
        item === null
          ? undefined
          : t('remediation.recovery.writeOff.hint', {
              receivable: formatFen(item.receivableFen ?? item.outstandingFen),
            })
      }
      confirm={t('remediation.recovery.writeOff.confirm')}
      form={form}
      onClose={props.onClose}
      onSubmit={async (values) => {
        if (item === null) return;
        await remediationApi.writeOff(item.id, values.reason.trim());
        props.onDone();
      }}
    >
      <Form.Item
        name="reason"
        label={t('remediation.recovery.writeOff.reason')}
        rules={[
          {
            required: true,
            whitespace: true,
            message: t('remediation.recovery.writeOff.reasonRequired'),
          },
        ]}
      >
        <Input.TextArea rows={3} showCount maxLength={NOTE_LENGTH_MAX} />
      </Form.Item>
    </ActionDialog>
  );
}
