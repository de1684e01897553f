import { CheckOutlined } from '@ant-design/icons';
import { Button, Form, Input, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { remediationApi } from '../../api/remediation';
import type { Refund, Remediation } from '../../api/remediation';
import { useT } from '../../i18n';
import { Identifier } from '../common/Identifier';
import { formatFen } from '../common/money';
import { ActionDialog } from '../incidents/ActionDialog';
import { REFERENCE_LENGTH_MAX } from './fields';
import { isActive, pagerFor } from './model';
import { RemediationStatusTag, useRemediationText } from './tags';

/** A refund row: the refund record when the server made one, with its remediation. */
interface RefundRow {
  remediation: Remediation;
  refund: Refund | null;
}

function isPaid(row: RefundRow): boolean {
  return row.refund?.status === 'paid' || (row.refund?.paidAt ?? null) !== null;
}

/**
 * The cardholders' refunds: each tied to the original payment's RRN and voucher number (STAN),
 * the masked card and the amount; marked paid with the bank's reference once the money went back.
 */
export function Refunds(props: {
  remediations: Remediation[];
  loading: boolean;
  canMarkPaid: boolean;
  onChanged: (message: string) => void;
}) {
  const { t, formatDateTime } = useT();
  const text = useRemediationText();
  const [paying, setPaying] = useState<RefundRow | null>(null);
  const rows: RefundRow[] = props.remediations
    .filter((item) => item.action === 'refund')
    .map((remediation) => ({ remediation, refund: remediation.refund ?? null }));

  const columns: TableColumnsType<RefundRow> = [
    {
      title: t('remediation.refund.col.rrn'),
      key: 'rrn',
      render: (_: unknown, row) => (
        <Identifier>{row.refund?.rrn ?? row.remediation.rrn ?? t('common.none')}</Identifier>
      ),
    },
    {
      title: t('remediation.refund.col.stan'),
      key: 'stan',
      render: (_: unknown, row) => (
        <Identifier>{row.refund?.stan ?? row.remediation.stan ?? t('common.none')}</Identifier>
      ),
    },
    {
      title: t('remediation.refund.col.card'),
      key: 'card',
      render: (_: unknown, row) => (
        <Identifier>
          {row.refund?.panMasked ?? row.remediation.panMasked ?? t('common.none')}
        </Identifier>
      ),
    },
    {
      title: t('remediation.refund.col.amount'),
      key: 'amount',
      align: 'right',
      render: (_: unknown, row) => {
        const amountFen = row.refund?.amountFen ?? row.remediation.amountFen;
        return (
          <Identifier>
            {typeof amountFen === 'number' ? formatFen(amountFen) : t('common.none')}
          </Identifier>
        );
      },
    },
    {
      title: t('remediation.refund.col.status'),
      key: 'status',
      render: (_: unknown, row) =>
        isPaid(row) ? (
          <Tag color="green">{text('refundStatus', 'paid')}</Tag>
        ) : row.refund !== null ? (
          <Tag color="orange">{text('refundStatus', row.refund.status)}</Tag>
        ) : (
          <RemediationStatusTag status={row.remediation.status} />
        ),
    },
    {
      title: t('remediation.refund.col.bankReference'),
      key: 'bankReference',
      render: (_: unknown, row) =>
        row.refund?.bankReference ? (
          <div>
            <Typography.Text copyable>{row.refund.bankReference}</Typography.Text>
            {row.refund.paidAt ? (
              <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                <Identifier>
                  {[formatDateTime(row.refund.paidAt), row.refund.paidBy]
                    .filter(Boolean)
                    .join(' · ')}
                </Identifier>
              </Typography.Text>
            ) : null}
          </div>
        ) : (
          <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
        ),
    },
    ...(props.canMarkPaid
      ? [
          {
            title: t('remediation.refund.col.actions'),
            key: 'actions',
            render: (_: unknown, row: RefundRow) =>
              !isPaid(row) && row.refund?.status === 'pending' && isActive(row.remediation) ? (
                <Button
                  size="small"
                  icon={<CheckOutlined />}
                  aria-label={t('remediation.refund.markPaidFor', {
                    rrn: row.refund.rrn ?? row.remediation.rrn ?? '',
                  })}
                  onClick={() => setPaying(row)}
                >
                  {t('remediation.refund.markPaid')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <>
      <Table<RefundRow>
        rowKey={(row) => row.remediation.id}
        size="small"
        columns={columns}
        dataSource={rows}
        loading={props.loading}
        pagination={pagerFor(rows.length)}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('remediation.refund.empty') }}
      />
      <MarkPaidDialog
        key={paying?.remediation.id ?? 'none'}
        row={paying}
        onClose={() => setPaying(null)}
        onDone={() => {
          setPaying(null);
          props.onChanged(t('remediation.refund.paid'));
        }}
      />
    </>
  );
}

function MarkPaidDialog(props: { row: RefundRow | null; onClose: () => void; onDone: () => void }) {
  const { t } = useT();
  const [form] = Form.useForm<{ bankReference: string }>();
  const refund = props.row?.refund ?? null;
  return (
    <ActionDialog<{ bankReference: string }>
      open={refund !== null}
      title={t('remediation.refund.markPaid.title')}
      hint={
        refund === null
          ? undefined
          : t('remediation.refund.markPaid.hint', {
              amount: formatFen(refund.amountFen),
              card: refund.panMasked ?? '',
              rrn: refund.rrn ?? '',
            })
      }
      confirm={t('remediation.refund.markPaid.confirm')}
      form={form}
      onClose={props.onClose}
      onSubmit={async (values) => {
        if (props.row === null) return;
        await remediationApi.refundPaid(props.row.remediation.id, values.bankReference.trim());
        props.onDone();
      }}
    >
      <Form.Item
        name="bankReference"
        label={t('remediation.refund.markPaid.reference')}
        extra={t('remediation.refund.markPaid.referenceHint')}
        rules={[
          {
            required: true,
            whitespace: true,
            message: t('remediation.refund.markPaid.referenceRequired'),
          },
        ]}
      >
        <Input maxLength={REFERENCE_LENGTH_MAX} autoComplete="off" />
      </Form.Item>
    </ActionDialog>
  );
}
