/**
 * Sending one webhook delivery: the job of kind `webhook.deliver`. One attempt per run, signed
 * with the Standard Webhooks scheme (the same webhook-id on every attempt, a fresh timestamp
 * and signature), bounded by a timeout; 2xx is delivered, anything else (3xx included: a
 * receiver must answer itself, redirects are not followed) is a failure retried on the
 * schedule of core/notifications/retry.ts, then failed.
 *
 * A slow or dead endpoint slows nothing else: each delivery is its own job, each attempt ends
 * at the timeout, and this process sends at most a few attempts to one endpoint at a time (the
 * rest wait their turn without counting an attempt), so the other endpoints and every other
 * kind of job keep their workers.
 */
import type { AppContext } from '../context.js';
import { RetryLater } from '../../jobs/runner.js';
import { retryDelayMs } from '../../core/notifications/retry.js';
import { signMessage } from '../../core/notifications/standard-webhooks.js';
import type { NotificationSettings } from './settings.js';
import { addTimelineEntry } from './timeline.js';

const ERROR_LENGTH_MAX = 1000;
/** The claim on a delivery while it is being sent: longer than any attempt can take. */
const SENDING_LEASE_MS = 60_000;
/** When an endpoint already has its share of attempts in flight here, look again this soon. */
const BUSY_RETRY_MS = 1_000;

export const WEBHOOK_USER_AGENT = 'SettleGuard-Webhooks/1';

interface ClaimedRow {
  id: string;
  endpoint_id: string;
  message_id: string;
  incident_id: string | null;
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  url: string;
  secret_sealed: Uint8Array;
  disabled_at: Date | null;
}

export interface AttemptOutcome {
  ok: boolean;
  httpStatus: number | null;
  durationMs: number;
  error: string | null;
}

/** Counts attempts in flight per endpoint in this process. */
export class EndpointGate {
  readonly #inFlight = new Map<string, number>();
  constructor(private readonly perEndpointMax: number) {}

  tryEnter(endpointId: string): boolean {
    const current = this.#inFlight.get(endpointId) ?? 0;
    if (current >= this.perEndpointMax) return false;
    this.#inFlight.set(endpointId, current + 1);
    return true;
  }

  leave(endpointId: string): void {
    const current = this.#inFlight.get(endpointId) ?? 0;
    if (current <= 1) this.#inFlight.delete(endpointId);
    else this.#inFlight.set(endpointId, current - 1);
  }
}

/** One HTTP POST of a signed message. Never throws: the outcome says what happened. */
export async function postSigned(input: {
  url: string;
  secret: string;
  messageId: string;
  body: string;
  timestampSeconds: number;
  timeoutMs: number;
}): Promise<AttemptOutcome> {
  const headers = signMessage({
    secret: input.secret,
    messageId: input.messageId,
    timestampSeconds: input.timestampSeconds,
    body: input.body,
  });
  const started = performance.now();
  try {
    const response = await fetch(input.url, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        'user-agent': WEBHOOK_USER_AGENT,
      },
      body: input.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(input.timeoutMs),
    });
    // The answer's body is not read: only the status counts, and a large one must cost nothing.
    await response.body?.cancel().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return {
      ok,
      httpStatus: response.status,
      durationMs: Math.round(performance.now() - started),
      error: ok ? null : `HTTP ${response.status}`,
    };
  } catch (error) {
    return {
      ok: false,
      httpStatus: null,
      durationMs: Math.round(performance.now() - started),
      error: describeFetchError(error, input.timeoutMs),
    };
  }
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `Timed out after ${timeoutMs} ms`;
  }
  const cause =
    error instanceof Error
      ? (error.cause as { code?: string; message?: string } | undefined)
      : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const detail = cause?.code ?? cause?.message;
  return (detail ? `${message}: ${detail}` : message).slice(0, ERROR_LENGTH_MAX);
}

/**
 * The job. `manual`: a redelivery asked for by a person: one attempt whatever the status,
 * logged as manual, not counted against the schedule; a delivered one stays delivered.
 */
export async function deliverWebhook(
  ctx: AppContext,
  settings: NotificationSettings,
  gate: EndpointGate,
  payload: { deliveryId: string; manual: boolean },
): Promise<void> {
  const now = ctx.now();
  const { rows } = await ctx.db.query<ClaimedRow>(
    `UPDATE webhook_deliveries d SET sending_until = $2
       FROM webhook_endpoints e
      WHERE d.id = $1 AND e.id = d.endpoint_id
        AND (d.sending_until IS NULL OR d.sending_until < $3)
        AND ($4 OR d.status = 'pending')
      RETURNING d.id, d.endpoint_id, d.message_id, d.incident_id, d.body, d.status, d.attempts,
                e.url, e.secret_sealed, e.disabled_at`,
    [payload.deliveryId, new Date(now.getTime() + SENDING_LEASE_MS), now, payload.manual],
  );
  const row = rows[0];
  if (!row) {
    const busy = await ctx.db.query(
      `SELECT 1 FROM webhook_deliveries WHERE id = $1 AND sending_until >= $2
         AND ($3 OR status = 'pending')`,
      [payload.deliveryId, now, payload.manual],
    );
    // Another worker is sending it right now: look again when its claim has run out.
    if (busy.rowCount > 0)
      throw new RetryLater(new Date(now.getTime() + SENDING_LEASE_MS), 'being sent');
    return;
  }
  if (row.disabled_at !== null && !payload.manual) {
    await ctx.db.query(
      `UPDATE webhook_deliveries SET status = 'failed', failed_at = $2, next_attempt_at = NULL,
         sending_until = NULL WHERE id = $1 AND status = 'pending'`,
      [row.id, now],
    );
    return;
  }
  if (!gate.tryEnter(row.endpoint_id)) {
    await ctx.db.query('UPDATE webhook_deliveries SET sending_until = NULL WHERE id = $1', [
      row.id,
    ]);
    throw new RetryLater(new Date(now.getTime() + BUSY_RETRY_MS), 'endpoint busy');
  }
  let outcome: AttemptOutcome;
  try {
    outcome = await postSigned({
      url: row.url,
      secret: ctx.vault.open('webhook_secret', row.secret_sealed),
      messageId: row.message_id,
      body: row.body,
      timestampSeconds: Math.floor(ctx.now().getTime() / 1000),
      timeoutMs: settings.webhookTimeoutMs,
    });
  } finally {
    gate.leave(row.endpoint_id);
  }
  const retryAt = await recordAttempt(ctx, row, outcome, payload.manual);
  if (retryAt) throw new RetryLater(retryAt, outcome.error ?? 'failed');
}

/** Logs the attempt and moves the delivery on; returns when to try again, if at all. */
async function recordAttempt(
  ctx: AppContext,
  row: ClaimedRow,
  outcome: AttemptOutcome,
  manual: boolean,
): Promise<Date | null> {
  const at = ctx.now();
  return ctx.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO webhook_attempts (delivery_id, at, trigger, succeeded, http_status,
         duration_ms, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        row.id,
        at,
        manual ? 'manual' : 'scheduled',
        outcome.ok,
        outcome.httpStatus,
        outcome.durationMs,
        outcome.error,
      ],
    );
    if (outcome.ok) {
      await tx.query(
        `UPDATE webhook_deliveries SET status = 'delivered', delivered_at = $2, failed_at = NULL,
           next_attempt_at = NULL, sending_until = NULL,
           attempts = attempts + CASE WHEN $3 THEN 0 ELSE 1 END
         WHERE id = $1`,
        [row.id, at, manual],
      );
      return null;
    }
    if (manual) {
      // A failed manual attempt leaves the delivery as it was: still on its schedule if it was
      // pending, failed if it had failed.
      await tx.query('UPDATE webhook_deliveries SET sending_until = NULL WHERE id = $1', [row.id]);
      return null;
    }
    const attempts = row.attempts + 1;
    const delayMs = retryDelayMs(attempts);
    if (delayMs !== null) {
      const next = new Date(at.getTime() + delayMs);
      await tx.query(
        `UPDATE webhook_deliveries SET attempts = $2, next_attempt_at = $3, sending_until = NULL
          WHERE id = $1`,
        [row.id, attempts, next],
      );
      return next;
    }
    await tx.query(
      `UPDATE webhook_deliveries SET status = 'failed', attempts = $2, failed_at = $3,
         next_attempt_at = NULL, sending_until = NULL WHERE id = $1`,
      [row.id, attempts, at],
    );
    if (row.incident_id) {
      await addTimelineEntry(tx, row.incident_id, {
        at,
        kind: 'notification_failed',
        text: {
          zh: `Webhook ${row.endpoint_id} 经 ${attempts} 次尝试仍未送达`,
          en: `Webhook ${row.endpoint_id} could not be delivered after ${attempts} attempts`,
        },
        data: { channel: 'webhook', deliveryId: row.id, endpointId: row.endpoint_id, attempts },
      });
    }
    return null;
  });
}
