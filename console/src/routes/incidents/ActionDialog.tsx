import { Form, Modal, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { useT } from '../../i18n';
import { ProblemAlert } from '../common/problem';

/**
 * A dialog holding one action's form. The form's values go to `onSubmit`; a refusal from the
 * server is said in words inside the dialog, which stays open so that nothing typed is lost.
 */
export function ActionDialog<Values extends object>(props: {
  open: boolean;
  title: string;
  hint?: ReactNode;
  confirm: string;
  danger?: boolean;
  form: FormInstance<Values>;
  initialValues?: Partial<Values>;
  onSubmit: (values: Values) => Promise<void>;
  onClose: () => void;
  children?: ReactNode;
  /** How a refusal is said: the console's problem alert unless a part has its own words. */
  renderProblem?: (error: unknown) => ReactNode;
}) {
  const { t } = useT();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const close = () => {
    setError(null);
    props.form.resetFields();
    props.onClose();
  };

  const submit = async (values: Values) => {
    setSaving(true);
    setError(null);
    try {
      await props.onSubmit(values);
      props.form.resetFields();
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title={props.title}
      open={props.open}
      okText={props.confirm}
      okButtonProps={{ danger: props.danger === true }}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => props.form.submit()}
      onCancel={close}
      destroyOnHidden
      width={560}
    >
      {props.hint !== undefined && (
        <Typography.Paragraph type="secondary">{props.hint}</Typography.Paragraph>
      )}
      {error !== null && (
        <div style={{ marginBottom: 12 }}>
          {props.renderProblem ? props.renderProblem(error) : <ProblemAlert error={error} />}
        </div>
      )}
      <Form<Values>
        form={props.form}
        layout="vertical"
        initialValues={props.initialValues}
        onFinish={(values) => void submit(values)}
      >
        {props.children}
      </Form>
    </Modal>
  );
}
