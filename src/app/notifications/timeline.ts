/** Timeline entries the notifications part adds to an incident (`incident_events`). */
import type { Queryable } from '../../storage/database.js';
import type { Bilingual } from '../../core/notifications/messages.js';
import { addIncidentEvent } from '../incidents/timeline.js';

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
  await addIncidentEvent(tx, { incidentId, actor: NOTIFICATIONS_ACTOR, ...entry });
}
