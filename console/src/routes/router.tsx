import { Button, Result } from 'antd';
import { Navigate, Outlet, createBrowserRouter, useRouteError } from 'react-router-dom';
import { useT } from '../i18n';
import { describeProblem } from './common/problem';
import { AlertListPage } from './alerts/AlertListPage';
import { AuditTrailPage } from './audit/AuditTrailPage';
import { AccountChangePage } from './account-changes/AccountChangePage';
import { AccountChangeQueuePage } from './account-changes/AccountChangeQueuePage';
import { DocumentPage } from './documents/DocumentPage';
import { DocumentQueuePage } from './documents/DocumentQueuePage';
import { IncidentListPage } from './incidents/IncidentListPage';
import { IncidentPage } from './incidents/IncidentPage';
import { DashboardPage } from './dashboard/DashboardPage';
import { DrillsPage } from './drills/DrillsPage';
import { AppLayout } from './layout/AppLayout';
import { LoginPage } from './login/LoginPage';
import { MerchantListPage } from './merchants/MerchantListPage';
import { MerchantPage } from './merchants/MerchantPage';
import { NotFoundPage } from './not-found/NotFoundPage';
import { RequireSession, SessionProvider } from './session/session';
import { SettlementLinesPage } from './settlement/SettlementLinesPage';
import { SettlementRunListPage } from './settlement/SettlementRunListPage';
import { SettlementRunPage } from './settlement/SettlementRunPage';
import { TerminalListPage } from './terminals/TerminalListPage';
import { TransactionListPage } from './transactions/TransactionListPage';
import { NotificationSettingsPage } from './webhooks/WebhooksPage';

/** Shown when rendering a screen throws: a bug, said in words, with a way to start over. */
function RouteError() {
  const error = useRouteError();
  const i18n = useT();
  return (
    <Result
      status="error"
      title={describeProblem(error, i18n)}
      extra={
        <Button type="primary" onClick={() => window.location.assign('/merchants')}>
          {i18n.t('notFound.home')}
        </Button>
      }
    />
  );
}

export const router = createBrowserRouter([
  {
    element: (
      <SessionProvider>
        <Outlet />
      </SessionProvider>
    ),
    errorElement: <RouteError />,
    children: [
      { path: '/login', element: <LoginPage /> },
      {
        element: (
          <RequireSession>
            <AppLayout />
          </RequireSession>
        ),
        children: [
          { index: true, element: <Navigate to="/merchants" replace /> },
          { path: 'merchants', element: <MerchantListPage /> },
          { path: 'merchants/:merchantNo', element: <MerchantPage /> },
          { path: 'terminals', element: <TerminalListPage /> },
          { path: 'transactions', element: <TransactionListPage /> },
          { path: 'alerts', element: <AlertListPage /> },
          { path: 'incidents', element: <IncidentListPage /> },
          { path: 'incidents/:incidentId', element: <IncidentPage /> },
          { path: 'drills', element: <DrillsPage /> },
          { path: 'notification-settings', element: <NotificationSettingsPage /> },
          { path: 'dashboard', element: <DashboardPage /> },
          { path: 'audit', element: <AuditTrailPage /> },
          { path: 'settlement', element: <SettlementRunListPage /> },
          { path: 'settlement/runs/:runId', element: <SettlementRunPage /> },
          { path: 'settlement/lines', element: <SettlementLinesPage /> },
          { path: 'documents', element: <DocumentQueuePage /> },
          { path: 'documents/:documentId', element: <DocumentPage /> },
          { path: 'account-changes', element: <AccountChangeQueuePage /> },
          { path: 'account-changes/:changeId', element: <AccountChangePage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
