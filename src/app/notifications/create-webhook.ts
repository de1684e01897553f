/**
 * Registering a webhook endpoint (admin): its URL (http or https, no credentials), the event
 * types it takes (`*` for all), and its signing secret, generated unless given. The secret is
 * answered once and stored sealed by the vault: it must be recovered in clear to sign. Audited
 * without the secret.
 */
import crypto from 'node:crypto';
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { DomainError, issue, type FieldIssue } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import { isEventType } from '../../core/events.js';
import {
  formatSecret,
  SECRET_BYTES,
  secretKey,
} from '../../core/notifications/standard-webhooks.js';
import { WEBHOOK_URL_MESSAGES, webhookUrlProblem } from '../../core/notifications/addresses.js';

export const WEBHOOK_EVENTS_MAX = 50;
export const WEBHOOK_DESCRIPTION_LENGTH_MAX = 500;

export interface CreateWebhookInput {
  url: string;
  events: string[];
  secret?: string | undefined;
  description?: string | undefined;
}

export interface CreatedWebhook {
  id: string;
  /** Shown once. */
  secret: string;
  url: string;
  events: string[];
  description: string | null;
  createdAt: string;
}

function validate(input: CreateWebhookInput): { events: string[]; description: string | null } {
  const issues: FieldIssue[] = [];
  const urlProblem = webhookUrlProblem(input.url);
  if (urlProblem) issues.push(issue('url', 'validation_failed', WEBHOOK_URL_MESSAGES[urlProblem]));
  if (input.events.length < 1 || input.events.length > WEBHOOK_EVENTS_MAX) {
    issues.push(issue('events', 'validation_failed', `1 to ${WEBHOOK_EVENTS_MAX} event types`));
  }
  input.events.forEach((type, i) => {
    if (type !== '*' && !isEventType(type)) {
      issues.push(
        issue(`events.${i}`, 'validation_failed', `Unknown event type ${type.slice(0, 64)}`),
      );
    }
  });
  if (input.secret !== undefined && secretKey(input.secret) === null) {
    issues.push(
      issue(
        'secret',
        'validation_failed',
        'A secret is whsec_ followed by the base64 of 24 to 64 bytes',
      ),
    );
  }
  const description = input.description?.trim() ?? '';
  if (description.length > WEBHOOK_DESCRIPTION_LENGTH_MAX) {
    issues.push(
      issue(
        'description',
        'validation_failed',
        `At most ${WEBHOOK_DESCRIPTION_LENGTH_MAX} characters`,
      ),
    );
  }
  if (issues.length > 0) throw new DomainError('validation_failed', 'Invalid webhook', issues);
  // Every type includes the others: keep the list short and its meaning plain.
  const events = input.events.includes('*') ? ['*'] : [...new Set(input.events)];
  return { events, description: description === '' ? null : description };
}

export async function createWebhook(
  ctx: AppContext,
  principal: Principal,
  input: CreateWebhookInput,
): Promise<CreatedWebhook> {
  authorise(principal, 'webhooks.manage');
  const { events, description } = validate(input);
  const secret = input.secret ?? formatSecret(crypto.randomBytes(SECRET_BYTES));
  const id = ctx.newId();
  const at = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    await tx.query(
      `INSERT INTO webhook_endpoints (id, url, events, description, secret_sealed, created_by,
         created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        id,
        input.url,
        events,
        description,
        ctx.vault.seal('webhook_secret', secret),
        principal.username,
        at,
      ],
    );
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'webhook.created',
        entityType: 'webhook_endpoint',
        entityId: id,
        after: { id, url: input.url, events, description },
      },
      at,
    );
  });
  return { id, secret, url: input.url, events, description, createdAt: at.toISOString() };
}
