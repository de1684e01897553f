/**
 * A manual redelivery (admin): one more attempt of a delivery, now, whatever its status, with
 * the same webhook-id and body (a fresh timestamp and signature). Asked twice before it has
 * run, it is queued once. Audited.
 */
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { enqueueJob } from '../jobs.js';
import { DomainError } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import { WEBHOOK_DELIVER_JOB } from './webhook-deliveries.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function redeliverWebhook(
  ctx: AppContext,
  principal: Principal,
  input: { endpointId: string; deliveryId: string },
): Promise<{ deliveryId: string; status: string; queued: boolean }> {
  authorise(principal, 'webhooks.manage');
  if (!UUID.test(input.endpointId) || !UUID.test(input.deliveryId)) {
    throw new DomainError('not_found', 'Delivery not found');
  }
  const at = ctx.now();
  return ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    const { rows } = await tx.query<{
      status: string;
      event_type: string;
      message_id: string;
      disabled_at: Date | null;
    }>(
      `SELECT d.status, d.event_type, d.message_id, e.disabled_at
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.id = $1 AND d.endpoint_id = $2
        FOR UPDATE OF d`,
      [input.deliveryId, input.endpointId],
    );
    const delivery = rows[0];
    if (!delivery) throw new DomainError('not_found', 'Delivery not found');
    if (delivery.disabled_at !== null) {
      throw new DomainError(
        'invalid_state',
        'The endpoint is disabled; register it again to send to it',
      );
    }
    const waiting = await tx.query(
      `SELECT 1 FROM jobs
        WHERE kind = $1 AND done_at IS NULL AND failed_at IS NULL
          AND payload ->> 'deliveryId' = $2 AND payload ->> 'manual' = 'true'`,
      [WEBHOOK_DELIVER_JOB, input.deliveryId],
    );
    if (waiting.rowCount > 0)
      return { deliveryId: input.deliveryId, status: delivery.status, queued: false };
    await enqueueJob(
      tx,
      {
        kind: WEBHOOK_DELIVER_JOB,
        payload: { deliveryId: input.deliveryId, manual: true },
        runAt: at,
        dedupeKey: `webhook.redeliver:${input.deliveryId}:${ctx.newId()}`,
      },
      at,
    );
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'webhook.redelivery_requested',
        entityType: 'webhook_delivery',
        entityId: input.deliveryId,
        after: {
          endpointId: input.endpointId,
          messageId: delivery.message_id,
          eventType: delivery.event_type,
          statusBefore: delivery.status,
        },
      },
      at,
    );
    return { deliveryId: input.deliveryId, status: delivery.status, queued: true };
  });
}
