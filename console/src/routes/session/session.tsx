import { Button, Result, Spin } from 'antd';
import { createContext, use, useCallback, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { ApiError, onUnauthenticated } from '../../api/client';
import { sessionApi } from '../../api/endpoints';
import type { Session } from '../../api/types';
import { useT } from '../../i18n';
import { describeProblem } from '../common/problem';

type SessionState =
  | { status: 'checking' }
  | { status: 'signed-in'; session: Session }
  | { status: 'signed-out' }
  | { status: 'unreachable'; error: unknown };

interface SessionContextValue {
  state: SessionState;
  login: (username: string, password: string) => Promise<Session>;
  logout: () => Promise<void>;
  recheck: () => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/**
 * Knows who is signed in. The session itself is an HttpOnly cookie the console never sees; this
 * asks the server on start and forgets the user whenever any call answers 401.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'checking' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    sessionApi.current(controller.signal).then(
      (session) => setState({ status: 'signed-in', session }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status === 401) setState({ status: 'signed-out' });
        else setState({ status: 'unreachable', error });
      },
    );
    return () => controller.abort();
  }, [generation]);

  useEffect(() => onUnauthenticated(() => setState({ status: 'signed-out' })), []);

  const login = useCallback(async (username: string, password: string) => {
    const session = await sessionApi.login(username, password);
    setState({ status: 'signed-in', session });
    return session;
  }, []);

  const logout = useCallback(async () => {
    try {
      await sessionApi.logout();
    } finally {
      setState({ status: 'signed-out' });
    }
  }, []);

  const recheck = useCallback(() => {
    setState({ status: 'checking' });
    setGeneration((value) => value + 1);
  }, []);

  const value = useMemo(() => ({ state, login, logout, recheck }), [state, login, logout, recheck]);
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): SessionContextValue {
  const value = use(SessionContext);
  if (value === null) throw new Error('useSession() is used outside <SessionProvider>');
  return value;
}

/** The signed-in user; only for screens rendered inside <RequireSession>. */
export function useCurrentUser(): Session {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useCurrentUser() needs a signed-in user');
  return state.session;
}

export function FullPageSpin() {
  const { t } = useT();
  return (
    <div style={{ display: 'grid', placeItems: 'center', minHeight: '100vh' }}>
      <Spin size="large" description={t('app.loading')} />
    </div>
  );
}

/** Shows its children to a signed-in user and sends anyone else to the login page. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { state, recheck } = useSession();
  const location = useLocation();
  const i18n = useT();
  switch (state.status) {
    case 'checking':
      return <FullPageSpin />;
    case 'signed-out':
      return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
    case 'unreachable':
      return (
        <Result
          status="warning"
          title={describeProblem(state.error, i18n)}
          extra={
            <Button type="primary" onClick={recheck}>
              {i18n.t('common.retry')}
            </Button>
          }
        />
      );
    case 'signed-in':
      return children;
  }
}
