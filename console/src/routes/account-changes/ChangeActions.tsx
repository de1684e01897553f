import {
  CheckOutlined,
  CloseOutlined,
  FileDoneOutlined,
  SafetyCertificateOutlined,
  StopOutlined,
} from '@ant-design/icons';
import { Alert, Button, Flex, Form, Input, Select, message } from 'antd';
import { useState } from 'react';
import {
  CONSENT_CHANNELS,
  FINAL_ACCOUNT_CHANGE_STATUSES,
  VERIFICATION_METHODS,
  accountChangeApi,
} from '../../api/correction';
import type {
  AccountChange,
  AccountChangeAction,
  ConsentChannel,
  VerificationMethod,
} from '../../api/correction';
import { useT } from '../../i18n';
import { useCorrectionI18n } from '../documents/problem';
import { useCurrentUser } from '../session/session';
import { ChangeDialog } from './ChangeDialog';
import { canDecideAccountChange } from './permissions';

const NOTE_LENGTH_MAX = 500;

type DialogName = 'approve' | 'reject' | 'cancel' | 'consent' | 'verification';

/**
 * The actions on a change request the caller may take. The server sends them with the request
 * (`allowedActions`); approve and reject are also offered to any approver while the request
 * waits, so that one who may not (the requester, four eyes) is told why in words by the server
 * instead of finding no button.
 */
export function ChangeActions({
  change,
  onChanged,
}: {
  change: AccountChange;
  onChanged: () => void;
}) {
  const i18n = useCorrectionI18n();
  const { t } = i18n;
  const user = useCurrentUser();
  const [open, setOpen] = useState<DialogName | null>(null);
  const [toast, toastHolder] = message.useMessage();
  const final = FINAL_ACCOUNT_CHANGE_STATUSES.includes(change.status);
  const waiting = change.status === 'pending_documents' || change.status === 'pending_approval';
  const allowed = (action: AccountChangeAction) => change.allowedActions.includes(action);
  const decide = canDecideAccountChange(user.role) && waiting;
  const offers = {
    approve: allowed('approve') || decide,
    reject: allowed('reject') || decide,
    cancel: allowed('cancel'),
    consent: allowed('record_consent'),
    verification: allowed('start_verification'),
  };
  const done = (text: string) => {
    setOpen(null);
    void toast.success(text);
    onChanged();
  };
  const ownRequest = decide && change.requestedBy === user.username;
  // What would stop this caller's approval now, said before the button is pressed.
  const blockedBy = decide ? (change.approveBlockedBy ?? null) : null;
  const blockedText =
    blockedBy === null || blockedBy === 'four_eyes_violation'
      ? null
      : (i18n.tCode('error', blockedBy) ?? null);

  if (final || !Object.values(offers).some(Boolean)) return toastHolder;
  return (
    <Flex vertical gap={12}>
      {toastHolder}
      {(ownRequest || blockedBy === 'four_eyes_violation') && (
        <Alert
          type="info"
          showIcon
          title={
            ownRequest
              ? t('correction.actions.ownRequestNote')
              : t('correction.actions.alreadyApprovedNote')
          }
        />
      )}
      {blockedText !== null && (
        <Alert
          type="warning"
          showIcon
          title={t('correction.actions.blocked', { reason: blockedText })}
        />
      )}
      <Flex gap={8} wrap role="toolbar" aria-label={t('correction.actions.label')}>
        {offers.approve && (
          <Button type="primary" icon={<CheckOutlined />} onClick={() => setOpen('approve')}>
            {t('correction.actions.approve')}
          </Button>
        )}
        {offers.reject && (
          <Button danger icon={<CloseOutlined />} onClick={() => setOpen('reject')}>
            {t('correction.actions.reject')}
          </Button>
        )}
        {offers.consent && (
          <Button icon={<FileDoneOutlined />} onClick={() => setOpen('consent')}>
            {t('correction.actions.recordConsent')}
          </Button>
        )}
        {offers.verification && (
          <Button icon={<SafetyCertificateOutlined />} onClick={() => setOpen('verification')}>
            {t('correction.actions.startVerification')}
          </Button>
        )}
        {offers.cancel && (
          <Button icon={<StopOutlined />} onClick={() => setOpen('cancel')}>
            {t('correction.actions.cancel')}
          </Button>
        )}
      </Flex>
      <NoteDialog
        open={open === 'approve'}
        title={t('correction.actions.approve')}
        hint={
          change.approvalsNeeded > 1
            ? t('correction.actions.approveHintTwo', { needed: change.approvalsNeeded })
            : t('correction.actions.approveHint')
        }
        label={t('correction.actions.approveNote')}
        required={false}
        confirm={t('correction.actions.approveConfirm')}
        onClose={() => setOpen(null)}
        onSubmit={async (note) => {
          await accountChangeApi.approve(change.id, note === '' ? undefined : note);
          done(t('correction.actions.approved'));
        }}
      />
      <NoteDialog
        open={open === 'reject'}
        title={t('correction.actions.reject')}
        hint={t('correction.actions.rejectHint')}
        label={t('correction.actions.reason')}
        required
        danger
        confirm={t('correction.actions.rejectConfirm')}
        onClose={() => setOpen(null)}
        onSubmit={async (reason) => {
          await accountChangeApi.reject(change.id, reason);
          done(t('correction.actions.rejected'));
        }}
      />
      <NoteDialog
        open={open === 'cancel'}
        title={t('correction.actions.cancel')}
        hint={t('correction.actions.cancelHint')}
        label={t('correction.actions.reason')}
        required
        danger
        confirm={t('correction.actions.cancelConfirm')}
        onClose={() => setOpen(null)}
        onSubmit={async (reason) => {
          await accountChangeApi.cancel(change.id, reason);
          done(t('correction.actions.cancelled'));
        }}
      />
      <ConsentDialog
        open={open === 'consent'}
        onClose={() => setOpen(null)}
        onSubmit={async (channel, reference) => {
          await accountChangeApi.recordConsent(change.id, channel, reference);
          done(t('correction.actions.consentRecorded'));
        }}
      />
      <VerificationDialog
        open={open === 'verification'}
        onClose={() => setOpen(null)}
        onSubmit={async (method) => {
          await accountChangeApi.startVerification(change.id, method);
          done(t('correction.actions.verificationStarted'));
        }}
      />
    </Flex>
  );
}

function NoteDialog(props: {
  open: boolean;
  title: string;
  hint: string;
  label: string;
  required: boolean;
  danger?: boolean;
  confirm: string;
  onClose: () => void;
  onSubmit: (text: string) => Promise<void>;
}) {
  const { t } = useT();
  const [form] = Form.useForm<{ text?: string }>();
  return (
    <ChangeDialog<{ text?: string }>
      open={props.open}
      title={props.title}
      hint={props.hint}
      confirm={props.confirm}
      danger={props.danger === true}
      form={form}
      onClose={props.onClose}
      onSubmit={(values) => props.onSubmit(values.text?.trim() ?? '')}
    >
      <Form.Item
        name="text"
        label={props.label}
        htmlFor="change-action-text"
        rules={[
          ...(props.required
            ? [
                {
                  required: true,
                  whitespace: true,
                  message: t('correction.actions.reasonRequired'),
                },
              ]
            : []),
          { max: NOTE_LENGTH_MAX, message: t('correction.request.tooLong') },
        ]}
      >
        <Input.TextArea id="change-action-text" rows={3} showCount maxLength={NOTE_LENGTH_MAX} />
      </Form.Item>
    </ChangeDialog>
  );
}

interface ConsentValues {
  channel: ConsentChannel;
  reference?: string;
}

function ConsentDialog(props: {
  open: boolean;
  onClose: () => void;
  onSubmit: (channel: ConsentChannel, reference: string | undefined) => Promise<void>;
}) {
  const { t } = useT();
  const [form] = Form.useForm<ConsentValues>();
  return (
    <ChangeDialog<ConsentValues>
      open={props.open}
      title={t('correction.actions.recordConsent')}
      hint={t('correction.consent.hint')}
      confirm={t('correction.actions.consentConfirm')}
      form={form}
      onClose={props.onClose}
      onSubmit={(values) => props.onSubmit(values.channel, values.reference?.trim() || undefined)}
    >
      <Form.Item
        name="channel"
        label={t('correction.consent.channel')}
        htmlFor="consent-channel"
        rules={[{ required: true, message: t('correction.request.required') }]}
      >
        <Select<ConsentChannel>
          id="consent-channel"
          virtual={false}
          options={CONSENT_CHANNELS.map((value) => ({
            value,
            label: t(`correction.consentChannel.${value}`),
          }))}
        />
      </Form.Item>
      <Form.Item
        name="reference"
        label={t('correction.consent.reference')}
        htmlFor="consent-reference"
        rules={[{ max: 100, message: t('correction.request.tooLong') }]}
      >
        <Input id="consent-reference" autoComplete="off" />
      </Form.Item>
    </ChangeDialog>
  );
}

function VerificationDialog(props: {
  open: boolean;
  onClose: () => void;
  onSubmit: (method: VerificationMethod) => Promise<void>;
}) {
  const { t } = useT();
  const [form] = Form.useForm<{ method: VerificationMethod }>();
  return (
    <ChangeDialog<{ method: VerificationMethod }>
      open={props.open}
      title={t('correction.actions.startVerification')}
      hint={t('correction.actions.verificationHint')}
      confirm={t('correction.actions.verificationConfirm')}
      form={form}
      initialValues={{ method: 'micro_deposit' }}
      onClose={props.onClose}
      onSubmit={(values) => props.onSubmit(values.method)}
    >
      <Form.Item
        name="method"
        label={t('correction.verification.method')}
        htmlFor="verification-method"
        rules={[{ required: true, message: t('correction.request.required') }]}
      >
        <Select<VerificationMethod>
          id="verification-method"
          virtual={false}
          options={VERIFICATION_METHODS.map((value) => ({
            value,
            label: t(`correction.verificationMethod.${value}`),
          }))}
        />
      </Form.Item>
    </ChangeDialog>
  );
}
