import { useCallback, useEffect, useRef, useState } from 'react';
import { NOTIFICATIONS_SHOWN_MAX, notificationApi } from '../../api/endpoints';
import type { ConsoleNotification } from '../../api/types';

/** Wait before opening the stream again after the browser gave up on it. */
const RECONNECT_DELAY_MS = 5_000;

export interface NotificationsState {
  items: ConsoleNotification[];
  unread: number;
  /** The stream is open: new notifications arrive as they happen. */
  live: boolean;
  error: unknown;
  markRead: (ids: string[]) => Promise<void>;
  markAllRead: () => Promise<void>;
  reload: () => void;
}

/**
 * A notification from the stream's data: the notification itself, or an envelope around it
 * (`{ notification }`). Anything else is ignored rather than shown half-read.
 */
export function parseStreamData(data: string): ConsoleNotification | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const inner = (value as { notification?: unknown }).notification;
  const candidate = (
    typeof inner === 'object' && inner !== null ? inner : value
  ) as Partial<ConsoleNotification>;
  if (typeof candidate.id !== 'string' || typeof candidate.type !== 'string') return null;
  if (typeof candidate.createdAt !== 'string') return null;
  return candidate as ConsoleNotification;
}

/** The unread count of the stream's `ready` event, or null when it is not one. */
export function parseUnreadCount(data: string): number | null {
  try {
    const value = (JSON.parse(data) as { unreadCount?: unknown }).unreadCount;
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
  } catch {
    return null;
  }
}

/**
 * Newest first, one entry per id, at most the number the bell shows. A notification seen twice
 * (around a reconnect) keeps its "read": read is never undone by an older copy.
 */
export function mergeNotifications(
  current: readonly ConsoleNotification[],
  incoming: readonly ConsoleNotification[],
): ConsoleNotification[] {
  const byId = new Map<string, ConsoleNotification>();
  for (const item of [...incoming, ...current]) {
    const seen = byId.get(item.id);
    if (seen === undefined || ((seen.readAt ?? null) === null && (item.readAt ?? null) !== null)) {
      byId.set(item.id, item);
    }
  }
  return [...byId.values()]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
    .slice(0, NOTIFICATIONS_SHOWN_MAX);
}

/**
 * The signed-in user's notifications: the latest on start, then live from the server-sent
 * event stream (the session cookie authenticates it). When the stream drops, the list is read
 * again on reconnection so that nothing sent meanwhile is missed.
 */
export function useNotifications(onArrival: (item: ConsoleNotification) => void) {
  const [items, setItems] = useState<ConsoleNotification[]>([]);
  const [unread, setUnread] = useState(0);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [generation, setGeneration] = useState(0);
  const arrival = useRef(onArrival);
  // What the bell holds, for the handlers below to read without side effects in state updaters.
  const itemsRef = useRef<ConsoleNotification[]>([]);
  useEffect(() => {
    arrival.current = onArrival;
    itemsRef.current = items;
  });

  const load = useCallback((signal?: AbortSignal) => {
    notificationApi.list(false, signal).then(
      (page) => {
        setItems((current) => mergeNotifications(current, page.items));
        setUnread(page.unreadCount);
        setError(undefined);
      },
      (failure: unknown) => {
        if (!signal?.aborted) setError(failure);
      },
    );
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    return () => controller.abort();
  }, [load, generation]);

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let timer: number | undefined;
    let closed = false;
    let opened = false;
    const receive = (event: MessageEvent<string>) => {
      const item = parseStreamData(event.data);
      if (item === null || itemsRef.current.some((existing) => existing.id === item.id)) return;
      itemsRef.current = mergeNotifications(itemsRef.current, [item]);
      setItems(itemsRef.current);
      if ((item.readAt ?? null) === null) setUnread((count) => count + 1);
      arrival.current(item);
    };
    const connect = () => {
      source = new EventSource(notificationApi.streamUrl, { withCredentials: true });
      source.onopen = () => {
        setLive(true);
        // A reconnection: what arrived while the stream was down is in the list.
        if (opened) load();
        opened = true;
      };
      source.onmessage = receive;
      source.addEventListener('notification', receive as EventListener);
      // Sent once the stream is set up: the count of unread notifications at that moment.
      source.addEventListener('ready', ((event: MessageEvent<string>) => {
        const count = parseUnreadCount(event.data);
        if (count !== null) setUnread(count);
      }) as EventListener);
      source.onerror = () => {
        setLive(false);
        // The browser retries by itself unless the server refused the stream (closed state).
        if (source?.readyState === EventSource.CLOSED && !closed) {
          source.close();
          timer = window.setTimeout(connect, RECONNECT_DELAY_MS);
        }
      };
    };
    connect();
    return () => {
      closed = true;
      window.clearTimeout(timer);
      source?.close();
      setLive(false);
    };
  }, [load]);

  const markRead = useCallback(async (ids: string[]) => {
    if (ids.length === 0) return;
    const { unreadCount } = await notificationApi.markRead(ids);
    const now = new Date().toISOString();
    setUnread(unreadCount);
    setItems((current) =>
      current.map((item) =>
        ids.includes(item.id) ? { ...item, readAt: item.readAt ?? now } : item,
      ),
    );
  }, []);

  const markAllRead = useCallback(async () => {
    await notificationApi.markAllRead();
    // Everything of this user is read now, including what the bell does not list.
    const now = new Date().toISOString();
    setItems((current) => current.map((item) => ({ ...item, readAt: item.readAt ?? now })));
    setUnread(0);
  }, []);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);

  return { items, unread, live, error, markRead, markAllRead, reload } satisfies NotificationsState;
}
