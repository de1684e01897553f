/**
 * Live console notifications: the streams (server-sent events) this process holds, by user,
 * and one LISTEN on the notifications channel for the whole process. Whichever instance writes
 * a notification announces it at commit; every instance reads the rows announced for the users
 * it streams to and pushes them. Each user may hold a bounded number of streams.
 */
import type { AppContext } from '../context.js';
import { NOTIFICATIONS_CHANNEL } from './console-notifications.js';
import {
  NOTIFICATION_COLUMNS,
  presentNotification,
  type NotificationRow,
  type NotificationView,
} from './queries.js';

export const STREAMS_PER_USER_MAX = 5;

export interface Subscriber {
  push(notification: NotificationView): void;
  /** Ends the stream (the process is closing). */
  end(): void;
}

export interface HubLog {
  error(data: unknown, message: string): void;
}

export class NotificationHub {
  readonly #subscribers = new Map<string, Set<Subscriber>>();
  #listening: Promise<() => Promise<void>> | null = null;
  #closed = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly log: HubLog,
    readonly streamsPerUserMax: number = STREAMS_PER_USER_MAX,
  ) {}

  streamsOf(userId: string): number {
    return this.#subscribers.get(userId)?.size ?? 0;
  }

  /** Adds a stream; returns its removal, or null when the user already holds the most. */
  async subscribe(userId: string, subscriber: Subscriber): Promise<(() => void) | null> {
    if (this.#closed) return null;
    if (this.streamsOf(userId) >= this.streamsPerUserMax) return null;
    const set = this.#subscribers.get(userId) ?? new Set<Subscriber>();
    set.add(subscriber);
    this.#subscribers.set(userId, set);
    try {
      await this.listen();
    } catch (error) {
      set.delete(subscriber);
      throw error;
    }
    return () => {
      set.delete(subscriber);
      if (set.size === 0 && this.#subscribers.get(userId) === set) this.#subscribers.delete(userId);
    };
  }

  private listen(): Promise<() => Promise<void>> {
    if (this.#listening) return this.#listening;
    const listening = this.ctx.db.listen(NOTIFICATIONS_CHANNEL, (payload) => {
      this.onAnnounce(payload).catch((error: unknown) =>
        this.log.error({ err: error }, 'pushing notifications failed'),
      );
    });
    this.#listening = listening;
    // A failed LISTEN is tried again by the next stream rather than remembered.
    listening.catch(() => {
      if (this.#listening === listening) this.#listening = null;
    });
    return listening;
  }

  private async onAnnounce(payload: string): Promise<void> {
    let pairs: unknown;
    try {
      pairs = JSON.parse(payload);
    } catch {
      return;
    }
    if (!Array.isArray(pairs)) return;
    const ids: number[] = [];
    for (const pair of pairs) {
      if (!Array.isArray(pair)) continue;
      const [id, userId] = pair as [unknown, unknown];
      if (typeof id === 'number' && typeof userId === 'string' && this.#subscribers.has(userId)) {
        ids.push(id);
      }
    }
    if (ids.length === 0) return;
    const { rows } = await this.ctx.db.query<NotificationRow>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE id = ANY($1::bigint[]) ORDER BY id`,
      [ids],
    );
    for (const row of rows) {
      const view = presentNotification(row);
      for (const subscriber of this.#subscribers.get(row.user_id) ?? []) subscriber.push(view);
    }
  }

  /** Ends every stream and stops listening. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const set of this.#subscribers.values()) for (const s of [...set]) s.end();
    this.#subscribers.clear();
    const listening = this.#listening;
    this.#listening = null;
    if (listening) await (await listening)();
  }
}
