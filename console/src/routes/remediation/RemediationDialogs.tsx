import { Form, Input, Radio, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { remediationApi, REMEDIATION_ACTIONS, REMEDIATION_STATUSES } from '../../api/remediation';
import type {
  AffectedTransaction,
  Remediation,
  RemediationAction,
  RemediationStatus,
} from '../../api/remediation';
import { useT } from '../../i18n';
import { Identifier } from '../common/Identifier';
import { formatFen } from '../common/money';
import { ActionDialog } from '../incidents/ActionDialog';
import {
  AmountField,
  DueDateField,
  NOTE_LENGTH_MAX,
  OwnerField,
  TRANSACTION_ID_LENGTH_MAX,
  dueDateText,
  dueDateValue,
} from './fields';
import { actionsFor, fenToYuanText, remediationsOf, unavailableReason, yuanToFen } from './model';
import { useRemediationText } from './tags';

/** The payment a remediation is for: card, RRN, voucher number, account, amount. */
export function PaymentLine(props: {
  panMasked?: string | null | undefined;
  rrn?: string | null | undefined;
  stan?: string | null | undefined;
  amountFen?: number | null | undefined;
  accountNumberMasked?: string | null | undefined;
}) {
  const { t } = useT();
  const parts: string[] = [];
  if (props.panMasked) parts.push(props.panMasked);
  if (props.rrn) parts.push(t('remediation.payment.rrn', { rrn: props.rrn }));
  if (props.stan) parts.push(t('remediation.payment.stan', { stan: props.stan }));
  if (props.accountNumberMasked) {
    parts.push(t('remediation.payment.account', { account: props.accountNumberMasked }));
  }
  if (typeof props.amountFen === 'number') parts.push(formatFen(props.amountFen));
  if (parts.length === 0) return <>{t('common.none')}</>;
  // Each part whole on its line; the line may break between parts in a narrow column.
  return (
    <>
      {parts.map((part, index) => (
        <span key={`${index}:${part}`}>
          {index > 0 && ' · '}
          <Identifier>{part}</Identifier>
        </span>
      ))}
    </>
  );
}

/** Re-settling or refunding a payment settled to the wrong account may be for part of it. */
function takesPart(payment: AffectedTransaction, action: RemediationAction | undefined): boolean {
  return (
    payment.kind === 'settled_to_wrong_account' && (action === 'refund' || action === 'resettle')
  );
}

/** The amount to send: only when it is part of the payment (the server's default is all of it). */
function partOf(
  payment: AffectedTransaction,
  action: RemediationAction,
  typed: string | undefined,
): number | undefined {
  if (!takesPart(payment, action)) return undefined;
  const fen = yuanToFen(typed ?? '');
  return fen === undefined || fen >= payment.amountFen ? undefined : fen;
}

interface CreateValues {
  action: RemediationAction;
  owner?: string;
  dueDate?: Dayjs | null;
  amount?: string;
  note?: string;
}

/** Arranges what is done for one affected payment: the action, who does it and by when. */
export function CreateRemediationDialog(props: {
  incidentId: string;
  payment: AffectedTransaction | null;
  onClose: () => void;
  onDone: (remediation: Remediation) => void;
}) {
  const { t } = useT();
  const text = useRemediationText();
  const [form] = Form.useForm<CreateValues>();
  const payment = props.payment;
  const offered = payment === null ? [...REMEDIATION_ACTIONS] : actionsFor(payment.kind);
  const existing = payment === null ? [] : remediationsOf(payment);
  const firstAvailable =
    offered.find((action) => unavailableReason(action, existing) === undefined) ?? offered[0];
  return (
    <ActionDialog<CreateValues>
      open={payment !== null}
      title={t('remediation.create.title')}
      hint={
        payment === null ? undefined : (
          <>
            {text('kind', payment.kind)}
            {t('common.listSeparator')}
            <PaymentLine {...payment} />
          </>
        )
      }
      confirm={t('remediation.create.confirm')}
      form={form}
      initialValues={{
        action: firstAvailable ?? 'resettle',
        amount: payment === null ? '' : fenToYuanText(payment.amountFen),
      }}
      onClose={props.onClose}
      onSubmit={async (values) => {
        if (payment === null) return;
        const amountFen = partOf(payment, values.action, values.amount);
        const remediation = await remediationApi.create(props.incidentId, {
          transactionId: payment.transactionId ?? undefined,
          lineId: payment.transactionId ? undefined : (payment.lineId ?? undefined),
          action: values.action,
          owner: values.owner?.trim(),
          dueDate: dueDateText(values.dueDate),
          note: values.note?.trim(),
          amountFen,
        });
        props.onDone(remediation);
      }}
    >
      <Form.Item name="action" label={t('remediation.field.action')} rules={[{ required: true }]}>
        <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 6 }}>
          {offered.map((action) => {
            const unavailable = unavailableReason(action, existing);
            return (
              <Radio key={action} value={action} disabled={unavailable !== undefined}>
                <Typography.Text strong>{text('action', action)}</Typography.Text>
                <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                  {unavailable === undefined
                    ? text('actionHint', action)
                    : text('unavailable', unavailable)}
                </Typography.Text>
              </Radio>
            );
          })}
        </Radio.Group>
      </Form.Item>
      <Form.Item noStyle dependencies={['action']}>
        {({ getFieldValue }) => {
          const action = getFieldValue('action') as RemediationAction | undefined;
          if (payment !== null && takesPart(payment, action)) {
            return (
              <AmountField
                name="amount"
                label={t('remediation.field.amount')}
                extra={t('remediation.field.amountHint', {
                  amount: formatFen(payment.amountFen),
                })}
                maxFen={payment.amountFen}
              />
            );
          }
          return null;
        }}
      </Form.Item>
      <OwnerField required={false} />
      <DueDateField required={false} />
      <Typography.Paragraph type="warning" style={{ marginTop: -8 }}>
        {t('remediation.create.assignHint')}
      </Typography.Paragraph>
      <Form.Item name="note" label={t('remediation.field.note')}>
        <Input.TextArea rows={2} showCount maxLength={NOTE_LENGTH_MAX} />
      </Form.Item>
    </ActionDialog>
  );
}

interface UpdateValues {
  status: RemediationStatus;
  owner?: string;
  dueDate?: Dayjs | null;
  retransactionId?: string;
  note?: string;
}

/** Changes a remediation's status, owner or due date, with a note on what happened. */
export function UpdateRemediationDialog(props: {
  remediation: Remediation | null;
  onClose: () => void;
  onDone: (remediation: Remediation) => void;
}) {
  const { t } = useT();
  const text = useRemediationText();
  const [form] = Form.useForm<UpdateValues>();
  const remediation = props.remediation;
  return (
    <ActionDialog<UpdateValues>
      open={remediation !== null}
      title={t('remediation.update.title')}
      hint={
        remediation === null ? undefined : (
          <>
            {text('action', remediation.action)}
            {t('common.listSeparator')}
            <PaymentLine {...remediation} />
          </>
        )
      }
      confirm={t('remediation.update.confirm')}
      form={form}
      initialValues={
        remediation === null
          ? {}
          : {
              status: remediation.status,
              owner: remediation.owner ?? '',
              dueDate: dueDateValue(remediation.dueDate),
              retransactionId: remediation.retransactionId ?? '',
            }
      }
      onClose={props.onClose}
      onSubmit={async (values) => {
        if (remediation === null) return;
        const owner = values.owner?.trim();
        const dueDate = dueDateText(values.dueDate);
        const retransactionId = values.retransactionId?.trim();
        // Only what changed is sent: the server records each change as an update.
        const updated = await remediationApi.update(remediation.id, {
          status: values.status === remediation.status ? undefined : values.status,
          owner: owner === (remediation.owner ?? '') ? undefined : owner,
          dueDate: dueDate === (remediation.dueDate ?? undefined) ? undefined : dueDate,
          retransactionId:
            remediation.action === 'retransaction' &&
            retransactionId !== (remediation.retransactionId ?? '')
              ? retransactionId
              : undefined,
          note: values.note?.trim(),
        });
        props.onDone(updated);
      }}
    >
      <Form.Item name="status" label={t('remediation.field.status')} rules={[{ required: true }]}>
        <Select
          virtual={false}
          style={{ width: 200 }}
          options={REMEDIATION_STATUSES.map((value) => ({
            value,
            label: text('status', value),
          }))}
        />
      </Form.Item>
      <OwnerField required={false} />
      <DueDateField required={false} />
      {remediation?.action === 'retransaction' && (
        <Form.Item
          name="retransactionId"
          label={t('remediation.field.retransactionId')}
          extra={t('remediation.field.retransactionIdHint')}
        >
          <Input maxLength={TRANSACTION_ID_LENGTH_MAX} autoComplete="off" />
        </Form.Item>
      )}
      <Form.Item name="note" label={t('remediation.field.progressNote')}>
        <Input.TextArea rows={3} showCount maxLength={NOTE_LENGTH_MAX} />
      </Form.Item>
    </ActionDialog>
  );
}
