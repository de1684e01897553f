import { LockOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Input, Typography, theme } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useT } from '../../i18n';
import { LanguageSwitch } from '../layout/LanguageSwitch';
import { describeProblem } from '../common/problem';
import { FullPageSpin, useSession } from '../session/session';

interface LoginValues {
  username: string;
  password: string;
}

/** Where to go after login: back to the page a lapsed session left, else the merchant list. */
function useReturnPath(): string {
  const location = useLocation();
  const from: unknown = (location.state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('/login')
    ? from
    : '/merchants';
}

export function LoginPage() {
  const i18n = useT();
  const { t } = i18n;
  const { state, login } = useSession();
  const navigate = useNavigate();
  const returnPath = useReturnPath();
  const { token } = theme.useToken();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  if (state.status === 'checking') return <FullPageSpin />;
  if (state.status === 'signed-in' && !submitting) return <Navigate to={returnPath} replace />;

  const onFinish = (values: LoginValues) => {
    setSubmitting(true);
    setError(undefined);
    login(values.username, values.password).then(
      () => navigate(returnPath, { replace: true }),
      (failure: unknown) => {
        setError(failure);
        setSubmitting(false);
      },
    );
  };

  return (
    <Flex
      vertical
      align="center"
      justify="center"
      style={{ minHeight: '100vh', background: token.colorBgLayout, padding: 24 }}
    >
      <div style={{ position: 'absolute', top: 16, right: 24 }}>
        <LanguageSwitch />
      </div>
      <main style={{ width: '100%', maxWidth: 400 }}>
        <Flex vertical align="center" gap={4} style={{ marginBottom: 24 }}>
          <SafetyCertificateOutlined style={{ fontSize: 40, color: token.colorPrimary }} />
          <Typography.Title level={2} style={{ margin: 0 }}>
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary">
            {t('app.nameLatin')} · {t('login.subtitle')}
          </Typography.Text>
        </Flex>
        <Card title={<h1 style={{ fontSize: 'inherit', margin: 0 }}>{t('login.title')}</h1>}>
          {error !== undefined && (
            <Alert
              role="alert"
              type="error"
              showIcon
              title={describeProblem(error, i18n)}
              style={{ marginBottom: 16 }}
            />
          )}
          <Form<LoginValues>
            layout="vertical"
            requiredMark={false}
            onFinish={onFinish}
            disabled={submitting}
          >
            <Form.Item
              label={t('login.username')}
              name="username"
              rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
            >
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item
              label={t('login.password')}
              name="password"
              rules={[{ required: true, message: t('login.passwordRequired') }]}
            >
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={submitting}>
              {t('login.submit')}
            </Button>
          </Form>
        </Card>
      </main>
    </Flex>
  );
}
