import { Form, Input, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { ACCOUNT_TYPES } from '../../api/types';
import type { AccountType } from '../../api/types';
import { CONSENT_CHANNELS, accountChangeApi } from '../../api/correction';
import type { AccountChange, ConsentChannel, MerchantDocument } from '../../api/correction';
import { useT } from '../../i18n';
import { DocumentTypeText } from '../documents/DocumentTags';
import { CorrectionProblem } from '../documents/problem';
import { useCurrentUser } from '../session/session';
import { recordsConsent } from './permissions';

const REASON_LENGTH_MAX = 500;
const NAME_LENGTH_MAX = 100;
const REFERENCE_LENGTH_MAX = 100;

interface Values {
  accountNumber: string;
  accountName: string;
  accountType: AccountType;
  bankCode?: string;
  reason: string;
  documentIds?: string[];
  consentChannel?: ConsentChannel;
  consentReference?: string;
}

/**
 * Asks for a new settlement account. The server runs the registry's checks (number, bank from
 * the card BIN, holder name under the merchant type's rules), refuses an invalid number with its
 * codes, links the merchant's open incident, and says which documents it still needs. A staff
 * request records how the merchant agreed; a merchant user's request is its own consent.
 */
export function RequestChangeDialog({
  open,
  merchantNo,
  documents,
  onClose,
  onCreated,
}: {
  open: boolean;
  merchantNo: string;
  /** The merchant's documents, to attach those already sent. */
  documents: MerchantDocument[];
  onClose: () => void;
  onCreated: (change: AccountChange) => void;
}) {
  const { t } = useT();
  const user = useCurrentUser();
  const staff = recordsConsent(user.role);
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const attachable = documents.filter((document) => document.status !== 'rejected');

  const close = () => {
    setError(null);
    form.resetFields();
    onClose();
  };

  const submit = async (values: Values) => {
    setSaving(true);
    setError(null);
    try {
      const change = await accountChangeApi.request(merchantNo, {
        accountNumber: values.accountNumber.replace(/\s+/g, ''),
        accountName: values.accountName.trim(),
        accountType: values.accountType,
        bankCode: values.bankCode?.trim() || undefined,
        reason: values.reason.trim(),
        documentIds:
          values.documentIds === undefined || values.documentIds.length === 0
            ? undefined
            : values.documentIds,
        consent:
          staff && values.consentChannel !== undefined
            ? {
                channel: values.consentChannel,
                reference: values.consentReference?.trim() || undefined,
              }
            : undefined,
      });
      form.resetFields();
      onCreated(change);
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title={t('correction.request.title')}
      open={open}
      okText={t('correction.request.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      width={620}
    >
      <Typography.Paragraph type="secondary">
        {staff ? t('correction.request.hintStaff') : t('correction.request.hintMerchant')}
      </Typography.Paragraph>
      {error !== null && (
        <div style={{ marginBottom: 12 }}>
          <CorrectionProblem error={error} />
        </div>
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(values) => void submit(values)}
        initialValues={{ accountType: 'personal' }}
      >
        <Form.Item
          name="accountNumber"
          label={t('correction.request.accountNumber')}
          htmlFor="change-account-number"
          extra={t('correction.request.accountNumberHint')}
          rules={[
            { required: true, whitespace: true, message: t('correction.request.required') },
            { pattern: /^[\d\s]{6,40}$/, message: t('correction.request.accountNumberFormat') },
          ]}
        >
          <Input id="change-account-number" autoComplete="off" inputMode="numeric" />
        </Form.Item>
        <Form.Item
          name="accountName"
          label={t('correction.request.accountName')}
          htmlFor="change-account-name"
          rules={[
            { required: true, whitespace: true, message: t('correction.request.required') },
            { max: NAME_LENGTH_MAX, message: t('correction.request.tooLong') },
          ]}
        >
          <Input id="change-account-name" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="accountType"
          label={t('correction.request.accountType')}
          htmlFor="change-account-type"
          rules={[{ required: true, message: t('correction.request.required') }]}
        >
          <Select<AccountType>
            id="change-account-type"
            virtual={false}
            options={ACCOUNT_TYPES.map((value) => ({
              value,
              label: t(`accountType.${value}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="bankCode"
          label={t('correction.request.bankCode')}
          htmlFor="change-bank-code"
          extra={t('correction.request.bankCodeHint')}
          rules={[{ pattern: /^\d{12}$/, message: t('correction.request.bankCodeFormat') }]}
        >
          <Input id="change-bank-code" autoComplete="off" inputMode="numeric" maxLength={12} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('correction.request.reason')}
          htmlFor="change-reason"
          rules={[
            { required: true, whitespace: true, message: t('correction.request.required') },
            { max: REASON_LENGTH_MAX, message: t('correction.request.tooLong') },
          ]}
        >
          <Input.TextArea id="change-reason" rows={3} showCount maxLength={REASON_LENGTH_MAX} />
        </Form.Item>
        {attachable.length > 0 && (
          <Form.Item
            name="documentIds"
            label={t('correction.request.documents')}
            htmlFor="change-documents"
          >
            <Select<string[]>
              id="change-documents"
              mode="multiple"
              virtual={false}
              options={attachable.map((document) => ({
                value: document.id,
                label: (
                  <span>
                    <DocumentTypeText type={document.type} /> · {document.fileName}
                  </span>
                ),
              }))}
            />
          </Form.Item>
        )}
        {staff && (
          <>
            <Form.Item
              name="consentChannel"
              label={t('correction.consent.channel')}
              htmlFor="change-consent-channel"
              extra={t('correction.consent.hint')}
            >
              <Select<ConsentChannel>
                id="change-consent-channel"
                allowClear
                virtual={false}
                options={CONSENT_CHANNELS.map((value) => ({
                  value,
                  label: t(`correction.consentChannel.${value}`),
                }))}
              />
            </Form.Item>
            <Form.Item
              name="consentReference"
              label={t('correction.consent.reference')}
              htmlFor="change-consent-reference"
              rules={[{ max: REFERENCE_LENGTH_MAX, message: t('correction.request.tooLong') }]}
            >
              <Input id="change-consent-reference" autoComplete="off" />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
