/**
 * Reads of the notifications part: webhook endpoints, an endpoint's delivery log with every
 * attempt, and a user's own console notifications. Secrets are never read here.
 */
import type { Queryable } from '../../storage/database.js';
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { DomainError } from '../../core/errors.js';
import { maskEmail } from '../../core/notifications/addresses.js';
import type { Principal } from '../../core/roles.js';
import { decodeTimeCursor, pageLimit, timePage } from '../pagination.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Attempts shown per delivery: the schedule's twelve and the latest manual ones. */
const ATTEMPTS_SHOWN_MAX = 50;

interface EndpointRow {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  created_by: string;
  created_at: Date;
  disabled_at: Date | null;
  disabled_by: string | null;
  pending: number;
  delivered: number;
  failed: number;
}

export async function listWebhooks(ctx: AppContext, principal: Principal) {
  authorise(principal, 'webhooks.read');
  const { rows } = await ctx.db.query<EndpointRow>(
    `SELECT e.id, e.url, e.events, e.description, e.created_by, e.created_at, e.disabled_at,
            e.disabled_by,
            (SELECT count(*)::int FROM webhook_deliveries d
              WHERE d.endpoint_id = e.id AND d.status = 'pending') AS pending,
            (SELECT count(*)::int FROM webhook_deliveries d
              WHERE d.endpoint_id = e.id AND d.status = 'delivered') AS delivered,
            (SELECT count(*)::int FROM webhook_deliveries d
              WHERE d.endpoint_id = e.id AND d.status = 'failed') AS failed
       FROM webhook_endpoints e
      ORDER BY e.disabled_at IS NOT NULL, e.created_at DESC, e.id
      LIMIT 500`,
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      url: r.url,
      events: r.events,
      description: r.description,
      active: r.disabled_at === null,
      createdBy: r.created_by,
      createdAt: r.created_at.toISOString(),
      disabledAt: r.disabled_at?.toISOString() ?? null,
      disabledBy: r.disabled_by,
      deliveries: { pending: r.pending, delivered: r.delivered, failed: r.failed },
    })),
  };
}

interface DeliveryRow {
  id: string;
  message_id: string;
  event_id: string | null;
  event_type: string;
  incident_id: string | null;
  reason: 'subscription' | 'escalation' | 'test';
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: Date | null;
  created_at: Date;
  delivered_at: Date | null;
  failed_at: Date | null;
}

interface AttemptRow {
  delivery_id: string;
  at: Date;
  trigger: 'scheduled' | 'manual';
  succeeded: boolean;
  http_status: number | null;
  duration_ms: number;
  error: string | null;
}

async function attemptsOf(q: Queryable, deliveryIds: string[]): Promise<Map<string, AttemptRow[]>> {
  const { rows } = await q.query<AttemptRow>(
    `SELECT delivery_id, at, trigger, succeeded, http_status, duration_ms, error
       FROM (SELECT a.*, row_number() OVER (PARTITION BY delivery_id ORDER BY id DESC) AS n
               FROM webhook_attempts a WHERE delivery_id = ANY($1::uuid[])) a
      WHERE n <= $2
      ORDER BY delivery_id, at, trigger`,
    [deliveryIds, ATTEMPTS_SHOWN_MAX],
  );
  const byDelivery = new Map<string, AttemptRow[]>();
  for (const row of rows) {
    const list = byDelivery.get(row.delivery_id) ?? [];
    list.push(row);
    byDelivery.set(row.delivery_id, list);
  }
  return byDelivery;
}

export async function listDeliveries(
  ctx: AppContext,
  principal: Principal,
  endpointId: string,
  query: { status?: string | undefined; limit?: number | undefined; cursor?: string | undefined },
) {
  authorise(principal, 'webhooks.read');
  if (!UUID.test(endpointId)) throw new DomainError('not_found', 'Webhook not found');
  const exists = await ctx.db.query('SELECT 1 FROM webhook_endpoints WHERE id = $1', [endpointId]);
  if (exists.rowCount === 0) throw new DomainError('not_found', 'Webhook not found');
  const limit = pageLimit(query.limit);
  const after = decodeTimeCursor(query.cursor);
  const { rows } = await ctx.db.query<DeliveryRow>(
    `SELECT id, message_id, event_id, event_type, incident_id, reason, status, attempts,
            next_attempt_at, created_at, delivered_at, failed_at
       FROM webhook_deliveries
      WHERE endpoint_id = $1
        AND ($2::text IS NULL OR status = $2)
        AND ($3::timestamptz IS NULL OR (created_at, id::text) < ($3, $4))
      ORDER BY created_at DESC, id::text DESC
      LIMIT $5`,
    [endpointId, query.status ?? null, after?.at ?? null, after?.id ?? '', limit + 1],
  );
  const attempts = await attemptsOf(
    ctx.db,
    rows.slice(0, limit).map((r) => r.id),
  );
  return timePage(
    rows,
    limit,
    (r) => ({ at: r.created_at, id: r.id }),
    (r) => ({
      id: r.id,
      messageId: r.message_id,
      eventId: r.event_id,
      eventType: r.event_type,
      incidentId: r.incident_id,
      reason: r.reason,
      status: r.status,
      attemptCount: r.attempts,
      nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
      createdAt: r.created_at.toISOString(),
      deliveredAt: r.delivered_at?.toISOString() ?? null,
      failedAt: r.failed_at?.toISOString() ?? null,
      lastStatusCode: attempts.get(r.id)?.at(-1)?.http_status ?? null,
      lastError: attempts.get(r.id)?.at(-1)?.error ?? null,
      attempts: (attempts.get(r.id) ?? []).map((a) => ({
        at: a.at.toISOString(),
        trigger: a.trigger,
        succeeded: a.succeeded,
        httpStatus: a.http_status,
        durationMs: a.duration_ms,
        error: a.error,
      })),
    }),
  );
}

export interface NotificationRow {
  id: number;
  user_id: string;
  kind: 'event' | 'page';
  event_id: string | null;
  event_type: string;
  incident_id: string | null;
  merchant_no: string | null;
  severity: string | null;
  drill: boolean;
  title: { zh: string; en: string };
  body: { zh: string; en: string };
  link: string | null;
  created_at: Date;
  read_at: Date | null;
}

export const NOTIFICATION_COLUMNS = `id, user_id, kind, event_id, event_type, incident_id,
  merchant_no, severity, drill, title, body, link, created_at, read_at`;

export function presentNotification(row: NotificationRow) {
  return {
    id: String(row.id),
    kind: row.kind,
    type: row.event_type,
    eventId: row.event_id,
    incidentId: row.incident_id,
    merchantNo: row.merchant_no,
    severity: row.severity,
    drill: row.drill,
    title: row.title,
    text: row.body,
    link: row.link,
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at?.toISOString() ?? null,
  };
}

export type NotificationView = ReturnType<typeof presentNotification>;

function decodeIdCursor(cursor: string | undefined): number | null {
  if (!cursor) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9]{1,15}$/.test(text)) throw new DomainError('validation_failed', 'Invalid cursor');
  return Number(text);
}

export async function unreadCount(q: Queryable, userId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL',
    [userId],
  );
  return rows[0]?.n ?? 0;
}

/** The caller's own notifications, newest first; `unread` keeps the unread ones only. */
export async function listNotifications(
  ctx: AppContext,
  principal: Principal,
  query: { unread?: boolean | undefined; limit?: number | undefined; cursor?: string | undefined },
) {
  authorise(principal, 'notifications.read');
  const limit = pageLimit(query.limit);
  const before = decodeIdCursor(query.cursor);
  const { rows } = await ctx.db.query<NotificationRow>(
    `SELECT ${NOTIFICATION_COLUMNS} FROM notifications
      WHERE user_id = $1 AND ($2::boolean IS NOT TRUE OR read_at IS NULL)
        AND ($3::bigint IS NULL OR id < $3)
      ORDER BY id DESC LIMIT $4`,
    [principal.userId, query.unread ?? false, before, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(presentNotification),
    ...(rows.length > limit && last
      ? { nextCursor: Buffer.from(String(last.id), 'utf8').toString('base64url') }
      : {}),
    unreadCount: await unreadCount(ctx.db, principal.userId),
  };
}

/** The caller's notifications with these ids (the live stream's catch-up after a reconnect). */
export async function notificationsAfter(
  q: Queryable,
  userId: string,
  afterId: number,
  limit: number,
): Promise<NotificationRow[]> {
  const { rows } = await q.query<NotificationRow>(
    `SELECT ${NOTIFICATION_COLUMNS} FROM notifications
      WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
    [userId, afterId, limit],
  );
  return rows;
}

interface EmailRow {
  id: string;
  to_address: string;
  username: string | null;
  subject: string;
  event_id: string | null;
  incident_id: string | null;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: Date | null;
  created_at: Date;
  sent_at: Date | null;
  failed_at: Date | null;
  last_error: string | null;
}

/** The e-mail log, newest first: addresses masked, the subject, status and attempts. */
export async function listEmailDeliveries(
  ctx: AppContext,
  principal: Principal,
  query: {
    incidentId?: string | undefined;
    status?: string | undefined;
    limit?: number | undefined;
    cursor?: string | undefined;
  },
) {
  authorise(principal, 'webhooks.read');
  if (query.incidentId !== undefined && !UUID.test(query.incidentId)) {
    return { items: [] };
  }
  const limit = pageLimit(query.limit);
  const after = decodeTimeCursor(query.cursor);
  const { rows } = await ctx.db.query<EmailRow>(
    `SELECT id, to_address, username, subject, event_id, incident_id, status, attempts,
            next_attempt_at, created_at, sent_at, failed_at, last_error
       FROM email_deliveries
      WHERE ($1::uuid IS NULL OR incident_id = $1)
        AND ($2::text IS NULL OR status = $2)
        AND ($3::timestamptz IS NULL OR (created_at, id::text) < ($3, $4))
      ORDER BY created_at DESC, id::text DESC
      LIMIT $5`,
    [query.incidentId ?? null, query.status ?? null, after?.at ?? null, after?.id ?? '', limit + 1],
  );
  return timePage(
    rows,
    limit,
    (r) => ({ at: r.created_at, id: r.id }),
    (r) => ({
      id: r.id,
      toMasked: maskEmail(r.to_address),
      username: r.username,
      subject: r.subject,
      eventId: r.event_id,
      incidentId: r.incident_id,
      status: r.status,
      attemptCount: r.attempts,
      nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
      createdAt: r.created_at.toISOString(),
      sentAt: r.sent_at?.toISOString() ?? null,
      failedAt: r.failed_at?.toISOString() ?? null,
      lastError: r.last_error,
    }),
  );
}
