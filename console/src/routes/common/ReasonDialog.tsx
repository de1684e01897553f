import { Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { ProblemAlert } from './problem';

/** Longest reason the server accepts for an action that needs one (suspend, release, …). */
export const REASON_LENGTH_MAX = 500;

/** The words of one kind of reason dialog, already translated. */
export interface ReasonDialogText {
  title: string;
  hint: string;
  label: string;
  placeholder: string;
  required: string;
  tooLong: string;
  confirm: string;
}

interface Values {
  reason: string;
}

/**
 * Asks for the reason of an action and runs it. A refusal from the server is shown in words in
 * the dialog, which stays open; on success the form is cleared and `onSubmit`'s caller moves on.
 */
export function ReasonDialog(props: {
  open: boolean;
  text: ReasonDialogText;
  cancel: string;
  danger?: boolean;
  /** Runs the action with the trimmed reason; a thrown error is shown in the dialog. */
  onSubmit: (reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<Values>();

  const close = () => {
    setError(null);
    form.resetFields();
    props.onClose();
  };

  const submit = async (values: Values) => {
    setSaving(true);
    setError(null);
    try {
      await props.onSubmit(values.reason.trim());
      form.resetFields();
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title={props.text.title}
      open={props.open}
      okText={props.text.confirm}
      okButtonProps={{ danger: props.danger === true }}
      cancelText={props.cancel}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{props.text.hint}</Typography.Paragraph>
      {error !== null && <ProblemAlert error={error} />}
      <Form
        form={form}
        layout="vertical"
        style={{ marginTop: 12 }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item
          name="reason"
          label={props.text.label}
          rules={[
            { required: true, whitespace: true, message: props.text.required },
            { max: REASON_LENGTH_MAX, message: props.text.tooLong },
          ]}
        >
          <Input.TextArea
            rows={3}
            showCount
            maxLength={REASON_LENGTH_MAX}
            placeholder={props.text.placeholder}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
