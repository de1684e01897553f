/**
 * The console's notification bell: rows in `notifications`, written in the transaction that
 * decides them, and announced with NOTIFY at commit so that every instance pushes them to the
 * users it streams to (notification-hub.ts). Each row has a unique key: written twice, it is
 * there once.
 */
import type { Queryable } from '../../storage/database.js';
import type { NotificationText } from '../../core/notifications/messages.js';
import { PAGEABLE_ROLES } from '../../core/notifications/escalation.js';

export const NOTIFICATIONS_CHANNEL = 'settleguard_notifications';

/** Pairs per NOTIFY: well inside PostgreSQL's 8,000-byte payload limit. */
const ANNOUNCE_CHUNK = 100;

interface Inserted {
  id: number;
  user_id: string;
}

/** Tells every instance which users got which new notifications. */
export async function announceNotifications(
  tx: Queryable,
  rows: readonly Inserted[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += ANNOUNCE_CHUNK) {
    const pairs = rows.slice(i, i + ANNOUNCE_CHUNK).map((r) => [r.id, r.user_id]);
    await tx.query('SELECT pg_notify($1, $2)', [NOTIFICATIONS_CHANNEL, JSON.stringify(pairs)]);
  }
}

export interface EventForConsole {
  id: string;
  type: string;
  at: Date;
  merchantNo: string | null;
  incidentId: string | null;
  severity: string | null;
  drill: boolean;
  text: NotificationText;
  link: string | null;
}

/**
 * One notification per user concerned: every active member of staff, and a merchant's users
 * for the merchant's own events (drills are the acquirer's training: staff only).
 */
export async function notifyEventToConsole(tx: Queryable, event: EventForConsole): Promise<number> {
  const { rows } = await tx.query<Inserted>(
    `INSERT INTO notifications (user_id, kind, event_id, event_type, incident_id, merchant_no,
       severity, drill, title, body, link, created_at, dedupe_key)
     SELECT u.id, 'event', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12 || u.id::text
       FROM users u
      WHERE NOT u.disabled
        AND (u.role = ANY($11::text[])
             OR (u.role = 'merchant' AND NOT $6 AND $4::text IS NOT NULL
                 AND $4::text = ANY(u.merchant_nos)))
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id, user_id`,
    [
      event.id,
      event.type,
      event.incidentId,
      event.merchantNo,
      event.severity,
      event.drill,
      JSON.stringify(event.text.title),
      JSON.stringify(event.text.body),
      event.link,
      event.at,
      PAGEABLE_ROLES,
      `event:${event.id}:`,
    ],
  );
  await announceNotifications(tx, rows);
  return rows.length;
}

/** A page: one user asked to acknowledge an incident at one escalation step. */
export async function pageUserOnConsole(
  tx: Queryable,
  page: {
    userId: string;
    incidentId: string;
    eventType: string;
    eventId: string | null;
    merchantNo: string;
    severity: string;
    drill: boolean;
    text: NotificationText;
    link: string;
    level: number;
    round: number;
    at: Date;
  },
): Promise<boolean> {
  const { rows } = await tx.query<Inserted>(
    `INSERT INTO notifications (user_id, kind, event_id, event_type, incident_id, merchant_no,
       severity, drill, title, body, link, created_at, dedupe_key)
     VALUES ($1, 'page', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id, user_id`,
    [
      page.userId,
      page.eventId,
      page.eventType,
      page.incidentId,
      page.merchantNo,
      page.severity,
      page.drill,
      JSON.stringify(page.text.title),
      JSON.stringify(page.text.body),
      page.link,
      page.at,
      `page:${page.incidentId}:${page.level}:${page.round}:${page.userId}`,
    ],
  );
  await announceNotifications(tx, rows);
  return rows.length > 0;
}
