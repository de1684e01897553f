import { Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { terminalApi } from '../../api/endpoints';
import { useT } from '../../i18n';
import { ProblemAlert } from '../common/problem';

/** Longest reason the server accepts for a suspension or resumption. */
const REASON_LENGTH_MAX = 500;

export type TerminalStatusAction = 'suspend' | 'resume';

interface Values {
  reason: string;
}

/**
 * Asks for the reason and suspends or resumes one terminal. `onDone` is told after the server
 * has taken it; the caller reloads what it shows.
 */
export function TerminalStatusDialog(props: {
  target: { terminalId: string; action: TerminalStatusAction } | null;
  onClose: () => void;
  onDone: (terminalId: string, action: TerminalStatusAction) => void;
}) {
  const { t } = useT();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<Values>();
  const target = props.target;
  const suspend = target?.action === 'suspend';

  const close = () => {
    setError(null);
    form.resetFields();
    props.onClose();
  };

  const submit = async (values: Values) => {
    if (target === null) return;
    setSaving(true);
    setError(null);
    try {
      await terminalApi.changeStatus(target.terminalId, target.action, values.reason.trim());
      form.resetFields();
      props.onDone(target.terminalId, target.action);
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  const terminalId = target?.terminalId ?? '';
  return (
    <Modal
      title={t(suspend ? 'terminalAction.suspendTitle' : 'terminalAction.resumeTitle', {
        terminalId,
      })}
      open={target !== null}
      okText={t(suspend ? 'terminalAction.confirmSuspend' : 'terminalAction.confirmResume')}
      okButtonProps={{ danger: suspend }}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t(suspend ? 'terminalAction.suspendHint' : 'terminalAction.resumeHint')}
      </Typography.Paragraph>
      {error !== null && <ProblemAlert error={error} />}
      <Form
        form={form}
        layout="vertical"
        style={{ marginTop: 12 }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item
          name="reason"
          label={t('terminalAction.reason')}
          rules={[
            { required: true, whitespace: true, message: t('terminalAction.reasonRequired') },
            {
              max: REASON_LENGTH_MAX,
              message: t('terminalAction.reasonTooLong', { max: REASON_LENGTH_MAX }),
            },
          ]}
        >
          <Input.TextArea
            rows={3}
            showCount
            maxLength={REASON_LENGTH_MAX}
            placeholder={t('terminalAction.reasonPlaceholder')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
