import { KeyOutlined } from '@ant-design/icons';
import { Button, Form, Input, Modal, message } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { sessionApi } from '../../api/endpoints';
import { useT } from '../../i18n';
import { ProblemAlert } from '../common/problem';
import { useSession } from '../session/session';

/** Minimum length the server accepts for a password. */
const PASSWORD_LENGTH_MIN = 10;

interface Values {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/**
 * The signed-in user changes their own password. The server ends every session of the user,
 * so the console goes back to the login page afterwards.
 */
export function ChangePasswordButton() {
  const { t } = useT();
  const navigate = useNavigate();
  const { logout } = useSession();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<Values>();
  const [toast, toastHolder] = message.useMessage();

  const submit = async (values: Values) => {
    setSaving(true);
    setError(null);
    try {
      await sessionApi.changePassword(values.currentPassword, values.newPassword);
      setOpen(false);
      form.resetFields();
      void toast.success(t('password.changed'));
      // The server has ended every session of this user; forget ours and sign in again.
      await logout().finally(() => navigate('/login', { replace: true }));
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      {toastHolder}
      <Button icon={<KeyOutlined />} onClick={() => setOpen(true)}>
        {t('password.change')}
      </Button>
      <Modal
        title={t('password.change')}
        open={open}
        okText={t('password.submit')}
        cancelText={t('password.cancel')}
        confirmLoading={saving}
        onOk={() => form.submit()}
        onCancel={() => {
          setOpen(false);
          setError(null);
          form.resetFields();
        }}
        destroyOnHidden
      >
        {error !== null && <ProblemAlert error={error} />}
        <Form form={form} layout="vertical" onFinish={(values) => void submit(values)}>
          <Form.Item
            name="currentPassword"
            label={t('password.current')}
            rules={[{ required: true, message: t('password.currentRequired') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('password.new')}
            rules={[
              { required: true, message: t('password.tooShort', { min: PASSWORD_LENGTH_MIN }) },
              {
                min: PASSWORD_LENGTH_MIN,
                message: t('password.tooShort', { min: PASSWORD_LENGTH_MIN }),
              },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirmPassword"
            label={t('password.confirm')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('password.mismatch') },
              ({ getFieldValue }) => ({
                validator: (_rule, value) =>
                  value === getFieldValue('newPassword')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('password.mismatch'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
