/**
 * Creating webhook deliveries, in the caller's transaction: the delivery row (its body fixed
 * once, so every attempt sends the same bytes) and the job that sends it. A delivery is unique
 * per endpoint and message: an event that reaches an endpoint both by subscription and by an
 * escalation, or a dispatch run twice, is delivered once.
 */
import type { Queryable } from '../../storage/database.js';
import type { AppContext } from '../context.js';
import { enqueueJob } from '../jobs.js';
import { messageBody } from '../../core/notifications/standard-webhooks.js';

export const WEBHOOK_DELIVER_JOB = 'webhook.deliver';

export type DeliveryReason = 'subscription' | 'escalation' | 'test';

export interface WebhookMessage {
  /** The webhook-id header: the outbox event's id (a ping's own id). */
  messageId: string;
  eventId: string | null;
  type: string;
  at: Date;
  data: unknown;
  incidentId: string | null;
}

/** Adds the delivery and its job; returns the delivery id, or null when it already existed. */
export async function createWebhookDelivery(
  ctx: AppContext,
  tx: Queryable,
  input: { endpointId: string; message: WebhookMessage; reason: DeliveryReason; now: Date },
): Promise<string | null> {
  const id = ctx.newId();
  const { message } = input;
  const inserted = await tx.query(
    `INSERT INTO webhook_deliveries (id, endpoint_id, message_id, event_id, event_type,
       incident_id, reason, body, status, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $9)
     ON CONFLICT (endpoint_id, message_id) DO NOTHING`,
    [
      id,
      input.endpointId,
      message.messageId,
      message.eventId,
      message.type,
      message.incidentId,
      input.reason,
      messageBody({ type: message.type, at: message.at, data: message.data }),
      input.now,
    ],
  );
  if (inserted.rowCount === 0) return null;
  await enqueueJob(
    tx,
    {
      kind: WEBHOOK_DELIVER_JOB,
      payload: { deliveryId: id },
      runAt: input.now,
      dedupeKey: `webhook.deliver:${id}`,
    },
    input.now,
  );
  return id;
}

/** Active endpoints subscribed to an event type (or to every type). */
export async function subscribedEndpoints(tx: Queryable, type: string): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `SELECT id FROM webhook_endpoints
      WHERE disabled_at IS NULL AND ($1 = ANY(events) OR '*' = ANY(events))
      ORDER BY created_at, id`,
    [type],
  );
  return rows.map((r) => r.id);
}
