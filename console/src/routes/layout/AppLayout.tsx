import {
  AccountBookOutlined,
  AlertOutlined,
  AuditOutlined,
  BankOutlined,
  DashboardOutlined,
  DesktopOutlined,
  ExperimentOutlined,
  FireOutlined,
  NotificationOutlined,
  LogoutOutlined,
  SafetyCertificateOutlined,
  ShopOutlined,
  TransactionOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Button, Flex, Layout, Menu, Space, Tag, Typography, theme } from 'antd';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useT } from '../../i18n';
import type { Role } from '../../api/types';
import { canManageNotifications } from '../incidents/permissions';
import { canReadChangeQueue } from '../account-changes/permissions';
import { canReadDocumentQueue } from '../documents/permissions';
import { NotificationBell } from '../notifications/NotificationBell';
import { canReadAudit, canReadSettlement } from '../session/permissions';
import { useCurrentUser, useSession } from '../session/session';
import { LanguageSwitch } from './LanguageSwitch';
import { ChangePasswordButton } from './ChangePassword';

const { Header, Sider, Content } = Layout;

const SECTIONS = [
  { path: '/dashboard', labelKey: 'nav.dashboard', icon: <DashboardOutlined /> },
  { path: '/merchants', labelKey: 'nav.merchants', icon: <ShopOutlined /> },
  { path: '/terminals', labelKey: 'nav.terminals', icon: <DesktopOutlined /> },
  { path: '/transactions', labelKey: 'nav.transactions', icon: <TransactionOutlined /> },
  { path: '/alerts', labelKey: 'nav.alerts', icon: <AlertOutlined /> },
  { path: '/incidents', labelKey: 'nav.incidents', icon: <FireOutlined /> },
  {
    path: '/drills',
    labelKey: 'nav.drills',
    icon: <ExperimentOutlined />,
    // Drills are the acquirer's training; a merchant user has none.
    visible: (role: Role) => role !== 'merchant',
  },
  {
    path: '/settlement',
    labelKey: 'nav.settlement',
    icon: <AccountBookOutlined />,
    // Runs are the acquirer's; a merchant user sees its settlement on its own merchant page.
    visible: canReadSettlement,
  },
  {
    path: '/documents',
    labelKey: 'correction.nav.documents',
    icon: <AuditOutlined />,
    // The review queue is the acquirer's; a merchant sends its documents on its merchant page.
    visible: canReadDocumentQueue,
  },
  {
    path: '/account-changes',
    labelKey: 'correction.nav.accountChanges',
    icon: <BankOutlined />,
    visible: canReadChangeQueue,
  },
  {
    path: '/audit',
    labelKey: 'nav.audit',
    icon: <SafetyCertificateOutlined />,
    visible: canReadAudit,
  },
  {
    path: '/notification-settings',
    labelKey: 'nav.notificationSettings',
    icon: <NotificationOutlined />,
    visible: canManageNotifications,
  },
] as const;

function visibleTo(section: (typeof SECTIONS)[number], role: Role): boolean {
  return !('visible' in section) || section.visible(role);
}

export function AppLayout() {
  const { t, tCode } = useT();
  const user = useCurrentUser();
  const { logout } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const { token } = theme.useToken();

  const sections = SECTIONS.filter((section) => visibleTo(section, user.role));
  const selected = sections.find((section) => location.pathname.startsWith(section.path));

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        breakpoint="lg"
        collapsedWidth={0}
        width={208}
        theme="dark"
        // The menu stays in view while a long list scrolls.
        style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
      >
        <Link
          to="/merchants"
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 10,
            padding: '18px 20px',
            color: '#fff',
          }}
        >
          <SafetyCertificateOutlined style={{ fontSize: 24, color: token.colorPrimary }} />
          <span style={{ lineHeight: 1.2 }}>
            <span style={{ display: 'block', fontSize: 16, fontWeight: 600 }}>{t('app.name')}</span>
            <span style={{ display: 'block', fontSize: 12, opacity: 0.65 }}>
              {t('app.nameLatin')}
            </span>
          </span>
        </Link>
        <nav aria-label={t('nav.menu')}>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={selected ? [selected.path] : []}
            items={sections.map((section) => ({
              key: section.path,
              icon: section.icon,
              label: <Link to={section.path}>{t(section.labelKey)}</Link>,
            }))}
          />
        </nav>
      </Sider>
      <Layout>
        <Header
          style={{
            background: token.colorBgContainer,
            padding: '0 24px',
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Flex justify="flex-end" align="center" gap={16} style={{ height: '100%' }}>
            <NotificationBell />
            <Space size={8}>
              <UserOutlined aria-hidden />
              <Typography.Text>{t('header.user', { username: user.username })}</Typography.Text>
              <Tag color="blue">{tCode('role', user.role) ?? user.role}</Tag>
            </Space>
            <LanguageSwitch />
            <ChangePasswordButton />
            <Button
              icon={<LogoutOutlined />}
              onClick={() => {
                void logout().finally(() => navigate('/login', { replace: true }));
              }}
            >
              {t('header.logout')}
            </Button>
          </Flex>
        </Header>
        {/* antd's Content is the page's <main> landmark. */}
        <Content style={{ padding: 24 }}>
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
