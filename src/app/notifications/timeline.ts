/** Timeline entries the notifications part adds to an incident (`incident_events`). */
import type { Queryable } from '../../storage/database.js';
import type { Bilingual } from '../../core/notifications/messages.js';

/** The actor of entries the system writes on its own. */
export const NOTIFICATIONS_ACTOR = 'notifications';

export type NotificationTimelineKind =
  | 'notification_sent'
  | 'notification_failed'
  | 'notification_skipped'
  | 'escalated'
  | 'escalation_stopped';

export async function addTimelineEntry(
  tx: Queryable,
  incidentId: string,
  entry: { at: Date; kind: NotificationTimelineKind; text: Bilingual; data?: unknown },
): Promise<void> {
  await tx.query(
    `INSERT INTO incident_events (incident_id, at, kind, actor, text, data)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      incidentId,
      entry.at,
      entry.kind,
      NOTIFICATIONS_ACTOR,
      JSON.stringify(entry.text),
      JSON.stringify(entry.data ?? {}),
    ],
  );
}
