/**
 * The dispatcher: the job of kind `event.dispatch` that fans one outbox event out, in one
 * transaction, to
 * - one delivery (its own `webhook.deliver` job) per active endpoint subscribed to the type;
 * - the console's bell of every user concerned (staff; a merchant's users for its own events);
 * - on `incident.opened`, the start of the incident's escalation.
 * Every row it writes has a unique key, so a dispatch run again (its job retried after a crash
 * between the commit and the job's completion) adds nothing. Events of drills reach the console
 * only, marked as drills: no webhook, no e-mail.
 */
import type { AppContext } from '../context.js';
import { eventNotificationText } from '../../core/notifications/messages.js';
import { isSeverity } from '../../core/notifications/escalation.js';
import { notifyEventToConsole } from './console-notifications.js';
import { createWebhookDelivery, subscribedEndpoints } from './webhook-deliveries.js';
import { startEscalation } from './escalate.js';

interface EventRow {
  id: string;
  type: string;
  at: Date;
  data: Record<string, unknown>;
  merchant_no: string | null;
  incident_id: string | null;
  drill: boolean;
}

export interface DispatchOutcome {
  webhooks: number;
  consoleNotifications: number;
  escalationStarted: boolean;
}

function linkOf(event: EventRow): string | null {
  if (event.incident_id) return `/incidents/${event.incident_id}`;
  if (event.merchant_no) return `/merchants/${event.merchant_no}`;
  return null;
}

export async function dispatchEvent(ctx: AppContext, eventId: string): Promise<DispatchOutcome> {
  return ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<EventRow>(
      `SELECT id, type, at, data, merchant_no, incident_id, drill FROM outbox_events WHERE id = $1`,
      [eventId],
    );
    const event = rows[0];
    // The job is written in the event's own transaction: an event that is not there is a bug.
    if (!event) throw new Error(`outbox event ${eventId} does not exist`);
    const incidents = event.incident_id
      ? await tx.query<{ severity: string; drill: boolean }>(
          'SELECT severity, drill FROM incidents WHERE id = $1',
          [event.incident_id],
        )
      : null;
    const incident = incidents?.rows[0] ?? null;
    const drill = event.drill || (incident?.drill ?? false);
    const now = ctx.now();

    let webhooks = 0;
    if (!drill) {
      for (const endpointId of await subscribedEndpoints(tx, event.type)) {
        const created = await createWebhookDelivery(ctx, tx, {
          endpointId,
          message: {
            messageId: event.id,
            eventId: event.id,
            type: event.type,
            at: event.at,
            data: event.data,
            incidentId: event.incident_id,
          },
          reason: 'subscription',
          now,
        });
        if (created) webhooks += 1;
      }
    }

    const severity =
      incident?.severity ?? (typeof event.data.severity === 'string' ? event.data.severity : null);
    const consoleNotifications = await notifyEventToConsole(tx, {
      id: event.id,
      type: event.type,
      at: event.at,
      merchantNo: event.merchant_no,
      incidentId: event.incident_id,
      severity,
      drill,
      text: eventNotificationText({ type: event.type, data: event.data, drill }),
      link: linkOf(event),
    });

    let escalationStarted = false;
    if (
      event.type === 'incident.opened' &&
      event.incident_id &&
      incident &&
      isSeverity(incident.severity)
    ) {
      escalationStarted = await startEscalation(tx, {
        incidentId: event.incident_id,
        severity: incident.severity,
        drill,
        openedEventId: event.id,
        now,
      });
    }
    return { webhooks, consoleNotifications, escalationStarted };
  });
}
