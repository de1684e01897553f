/**
 * A test ping (admin): a delivery of type `webhook.test` to one endpoint, through the same job,
 * signing and log as every other delivery, so that a receiver's set-up can be checked end to
 * end.
 */
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { DomainError } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import { createWebhookDelivery } from './webhook-deliveries.js';

export const TEST_EVENT_TYPE = 'webhook.test';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function testWebhook(
  ctx: AppContext,
  principal: Principal,
  endpointId: string,
): Promise<{ deliveryId: string; messageId: string }> {
  authorise(principal, 'webhooks.manage');
  if (!UUID.test(endpointId)) throw new DomainError('not_found', 'Webhook not found');
  const at = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ disabled_at: Date | null }>(
      'SELECT disabled_at FROM webhook_endpoints WHERE id = $1',
      [endpointId],
    );
    const endpoint = rows[0];
    if (!endpoint) throw new DomainError('not_found', 'Webhook not found');
    if (endpoint.disabled_at !== null) {
      throw new DomainError('invalid_state', 'The endpoint is disabled');
    }
    const messageId = ctx.newId();
    const deliveryId = await createWebhookDelivery(ctx, tx, {
      endpointId,
      message: {
        messageId,
        eventId: null,
        type: TEST_EVENT_TYPE,
        at,
        data: {
          webhookId: endpointId,
          requestedBy: principal.username,
          message: { zh: 'SettleGuard 测试消息', en: 'SettleGuard test message' },
        },
        incidentId: null,
      },
      reason: 'test',
      now: at,
    });
    if (!deliveryId) throw new Error('a fresh message id collided');
    return { deliveryId, messageId };
  });
}
