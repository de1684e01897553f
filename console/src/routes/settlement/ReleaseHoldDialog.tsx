import { Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { settlementApi } from '../../api/endpoints';
import type { SettlementRelease } from '../../api/types';
import { useT } from '../../i18n';
import { ProblemAlert } from '../common/problem';

/** Longest reason the server accepts for a release. */
const REASON_LENGTH_MAX = 500;

interface Values {
  reason: string;
}

/**
 * Asks for the reason and releases a merchant's held money (admin, approver). The server refuses
 * while the merchant has no active verified account or an open incident; the refusal is shown
 * in words in the dialog, which stays open.
 */
export function ReleaseHoldDialog(props: {
  merchantNo: string | null;
  onClose: () => void;
  onDone: (release: SettlementRelease) => void;
}) {
  const { t } = useT();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<Values>();
  const merchantNo = props.merchantNo;

  const close = () => {
    setError(null);
    form.resetFields();
    props.onClose();
  };

  const submit = async (values: Values) => {
    if (merchantNo === null) return;
    setSaving(true);
    setError(null);
    try {
      const release = await settlementApi.releaseHold(merchantNo, values.reason.trim());
      form.resetFields();
      props.onDone(release);
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title={t('settlement.release.title', { merchantNo: merchantNo ?? '' })}
      open={merchantNo !== null}
      okText={t('settlement.release.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('settlement.release.hint')}</Typography.Paragraph>
      {error !== null && <ProblemAlert error={error} />}
      <Form
        form={form}
        layout="vertical"
        style={{ marginTop: 12 }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item
          name="reason"
          label={t('settlement.release.reason')}
          rules={[
            { required: true, whitespace: true, message: t('settlement.release.reasonRequired') },
            {
              max: REASON_LENGTH_MAX,
              message: t('settlement.release.reasonTooLong', { max: REASON_LENGTH_MAX }),
            },
          ]}
        >
          <Input.TextArea
            rows={3}
            showCount
            maxLength={REASON_LENGTH_MAX}
            placeholder={t('settlement.release.reasonPlaceholder')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
