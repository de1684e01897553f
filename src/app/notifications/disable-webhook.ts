/**
 * Disabling a webhook endpoint (admin; `DELETE /webhooks/{id}`): it gets nothing more, its
 * pending deliveries fail at their next attempt, and its delivery log stays. Audited.
 */
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { DomainError } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function disableWebhook(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<void> {
  authorise(principal, 'webhooks.manage');
  if (!UUID.test(id)) throw new DomainError('not_found', 'Webhook not found');
  const at = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    const { rows } = await tx.query<{ url: string; disabled_at: Date | null }>(
      'SELECT url, disabled_at FROM webhook_endpoints WHERE id = $1 FOR UPDATE',
      [id],
    );
    const endpoint = rows[0];
    if (!endpoint) throw new DomainError('not_found', 'Webhook not found');
    if (endpoint.disabled_at !== null) return;
    await tx.query(
      'UPDATE webhook_endpoints SET disabled_at = $2, disabled_by = $3 WHERE id = $1',
      [id, at, principal.username],
    );
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'webhook.disabled',
        entityType: 'webhook_endpoint',
        entityId: id,
        before: { url: endpoint.url, disabled: false },
        after: { url: endpoint.url, disabled: true },
      },
      at,
    );
  });
}
