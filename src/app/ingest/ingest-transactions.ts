/**
 * The one pipeline every source goes through (JSON batches, NDJSON files, ISO 8583 messages,
 * the stream): validate each transaction on its own, tokenise the card number, find replays,
 * screen against the in-memory registry index, and commit transactions, alerts and
 * containment in ONE database transaction. When this function returns, every accepted
 * transaction is durable and every containment it triggered is in force.
 */
import crypto from 'node:crypto';
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { DomainError, type ErrorCode } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import { type ScreeningPolicy } from '../../core/screening/policy.js';
import type { VolumeView } from '../../core/screening/registry-view.js';
import type { RuleHit } from '../../core/screening/rules.js';
import { screen } from '../../core/screening/screen.js';
import type { Decision } from '../../core/transaction.js';
import {
  maskPan,
  validateTransaction,
  type ValidTransaction,
} from '../../core/transaction-validation.js';
import type { Queryable } from '../../storage/database.js';
import { insertAlert } from '../../storage/registry-repository.js';
import {
  findTransactionKeys,
  insertTransactions,
  purchaseVolumeSince,
  type NewTransactionRow,
} from '../../storage/transaction-repository.js';
import { announceRegistryChange, type RegistryIndex } from '../screening/registry-index.js';
import { attachToOpenIncident, contain, type AlertRef } from '../screening/contain.js';
import { lockAuditChain } from '../audit.js';

export const INGEST_BATCH_MAX = 1000;
/** An alert of the same rule for the same merchant and terminal is raised once in this window. */
export const ALERT_DEDUP_WINDOW_MS = 24 * 3600_000;
const DAY_MS = 86_400_000;
const BASELINE_DAYS = 30;

export type IngestSource = 'api' | 'file' | 'iso8583' | 'jetstream' | 'simulator';

export interface IngestResult {
  id: string | null;
  outcome: 'accepted' | 'duplicate' | 'rejected';
  decision?: Decision;
  alerts?: string[];
  error?: { code: ErrorCode; message: string; errors: FieldError[] };
}

interface Candidate {
  index: number;
  tx: ValidTransaction;
  row: NewTransactionRow;
  hits: RuleHit[];
}

/** Rules whose alert concerns the merchant as a whole rather than one terminal. */
const MERCHANT_LEVEL_RULES = new Set([
  'unknown_merchant',
  'account_not_active',
  'account_name_mismatch',
  'shared_account',
  'post_change_spike',
]);

/**
 * SHA-256 of the content in a fixed field order (a JSON array: unambiguous whatever the text
 * holds). Changing the order or the fields makes earlier replays look changed: do not.
 */
function contentHash(tx: ValidTransaction, panToken: string | null): string {
  return crypto
    .createHash('sha256')
    .update(
      JSON.stringify([
        tx.id,
        tx.terminalId,
        tx.merchantNo,
        tx.type,
        tx.status,
        tx.amountFen,
        tx.currency,
        tx.occurredAt.toISOString(),
        panToken,
        tx.merchantNameOnReceipt,
        tx.rrn,
        tx.stan,
        tx.authCode,
        tx.responseCode,
      ]),
    )
    .digest('hex');
}

type FieldError = { path: string; code: string; message: string };

function rejected(
  id: string | null,
  code: ErrorCode,
  message: string,
  errors: FieldError[] = [],
): IngestResult {
  return { id, outcome: 'rejected', error: { code, message, errors } };
}

/**
 * Volume figures for the post-change rule: only merchants whose account changed within the
 * watch window are looked up (in the database, so that every instance sees all traffic), and
 * the batch's own transactions are added as screening goes.
 */
async function volumeFor(
  q: Queryable,
  index: RegistryIndex,
  policy: ScreeningPolicy,
  merchantNos: Iterable<string>,
  now: Date,
): Promise<VolumeView & { add(merchantNo: string, fen: number): void }> {
  const windowMs = (policy.postChangeSpike.windowDays + 1) * DAY_MS;
  const watched = [...new Set(merchantNos)].filter((merchantNo) => {
    const account = index.merchant(merchantNo)?.account;
    return account?.isChange === true && now.getTime() - account.validFromMs <= windowMs;
  });
  const last24h = await purchaseVolumeSince(q, watched, new Date(now.getTime() - DAY_MS));
  const baseline = new Map<string, number>();
  for (const merchantNo of watched) {
    const account = index.merchant(merchantNo)?.account;
    if (!account) continue;
    const changedAt = new Date(account.validFromMs);
    const before = await purchaseVolumeSince(
      q,
      [merchantNo],
      new Date(changedAt.getTime() - BASELINE_DAYS * DAY_MS),
      changedAt,
    );
    baseline.set(merchantNo, Math.round((before.get(merchantNo) ?? 0) / BASELINE_DAYS));
  }
  return {
    last24hFen: (merchantNo) => last24h.get(merchantNo) ?? 0,
    baselineDailyFen: (merchantNo) => baseline.get(merchantNo) ?? 0,
    add(merchantNo, fen) {
      if (watched.includes(merchantNo))
        last24h.set(merchantNo, (last24h.get(merchantNo) ?? 0) + fen);
    },
  };
}

export async function ingestTransactions(
  ctx: AppContext,
  principal: Principal | null,
  raws: readonly unknown[],
  options: { source: IngestSource; policy: ScreeningPolicy },
): Promise<IngestResult[]> {
  if (principal) authorise(principal, 'transactions.ingest');
  if (raws.length > INGEST_BATCH_MAX) {
    throw new DomainError('batch_too_large', `At most ${INGEST_BATCH_MAX} transactions a call`);
  }
  const index = ctx.index;
  if (!index) throw new DomainError('screening_unavailable', 'No registry index in this process');
  const receivedAt = ctx.now();
  const results: IngestResult[] = new Array<IngestResult>(raws.length);

  // 1. Validate and tokenise, each on its own.
  const valid: { index: number; tx: ValidTransaction; row: NewTransactionRow }[] = [];
  for (const [position, raw] of raws.entries()) {
    const checked = validateTransaction(raw, { now: receivedAt });
    if (!checked.ok) {
      const first = checked.issues[0];
      results[position] = rejected(
        checked.id,
        first?.code ?? 'validation_failed',
        first ? `${first.path}: ${first.message}` : 'Invalid transaction',
        checked.issues.map(({ path, code, message }) => ({ path, code, message })),
      );
      continue;
    }
    const tx = checked.value;
    const panToken = tx.pan ? ctx.vault.fingerprint('card', tx.pan) : null;
    valid.push({
      index: position,
      tx,
      row: {
        id: tx.id,
        merchantNo: tx.merchantNo,
        terminalId: tx.terminalId,
        type: tx.type,
        status: tx.status,
        amountFen: tx.amountFen,
        currency: tx.currency,
        occurredAt: tx.occurredAt,
        receivedAt,
        panToken,
        panMasked: tx.pan ? maskPan(tx.pan) : null,
        merchantNameOnReceipt: tx.merchantNameOnReceipt,
        rrn: tx.rrn,
        stan: tx.stan,
        authCode: tx.authCode,
        responseCode: tx.responseCode,
        source: options.source,
        contentHash: contentHash(tx, panToken),
        decision: 'ok',
        alerts: [],
      },
    });
  }

  // 2. Replays: of an earlier batch, or of an earlier line of this one.
  const stored = await findTransactionKeys(
    ctx.db,
    valid.map((v) => v.tx.id),
  );
  const firstInBatch = new Map<string, Candidate>();
  const candidates: Candidate[] = [];
  const replays: { index: number; id: string; hash: string }[] = [];
  for (const v of valid) {
    const earlier = stored.get(v.tx.id);
    if (earlier) {
      results[v.index] =
        earlier.content_hash === v.row.contentHash
          ? {
              id: v.tx.id,
              outcome: 'duplicate',
              decision: earlier.decision,
              alerts: earlier.alerts,
            }
          : rejected(v.tx.id, 'idempotency_mismatch', 'This id was sent before with other content');
      continue;
    }
    if (firstInBatch.has(v.tx.id)) {
      replays.push({ index: v.index, id: v.tx.id, hash: v.row.contentHash });
      continue;
    }
    const candidate: Candidate = { ...v, hits: [] };
    firstInBatch.set(v.tx.id, candidate);
    candidates.push(candidate);
  }

  // 3. Screen, in input order, against the index.
  const volume = await volumeFor(
    ctx.db,
    index,
    options.policy,
    candidates.map((c) => c.tx.merchantNo),
    receivedAt,
  );
  for (const c of candidates) {
    if (c.tx.status === 'approved' && c.tx.type === 'purchase') {
      volume.add(c.tx.merchantNo, c.tx.amountFen);
    }
    const screened = screen(
      {
        transactionId: c.tx.id,
        terminalId: c.tx.terminalId,
        merchantNo: c.tx.merchantNo,
        type: c.tx.type,
        status: c.tx.status,
        amountFen: c.tx.amountFen,
        occurredAtMs: c.tx.occurredAt.getTime(),
        merchantNameOnReceipt: c.tx.merchantNameOnReceipt,
      },
      { view: index, volume, policy: options.policy },
    );
    c.hits = screened.hits.map((hit) => withOwner(hit, index));
    c.row.decision = screened.decision;
    c.row.alerts = screened.hits.map((h) => h.rule);
  }

  // 4. One transaction: the rows, the alerts, the containment.
  const touched = await withRetry(() =>
    ctx.db.transaction(async (tx) => {
      // Rows go in id order: two batches sharing ids then lock them in the same order.
      const inserted = await insertTransactions(
        tx,
        candidates.map((c) => c.row).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      );
      // Lost a race with another instance storing the same id: that copy decides.
      const raced = candidates.filter((c) => !inserted.has(c.tx.id));
      const racedKeys = await findTransactionKeys(
        tx,
        raced.map((c) => c.tx.id),
      );
      for (const c of raced) {
        const earlier = racedKeys.get(c.tx.id);
        results[c.index] =
          earlier && earlier.content_hash === c.row.contentHash
            ? {
                id: c.tx.id,
                outcome: 'duplicate',
                decision: earlier.decision,
                alerts: earlier.alerts,
              }
            : rejected(
                c.tx.id,
                'idempotency_mismatch',
                'This id was sent before with other content',
              );
      }
      const fresh = candidates.filter((c) => inserted.has(c.tx.id));
      const changed = await raiseAlertsAndContain(ctx, tx, fresh, options.policy, receivedAt);
      if (changed.merchants.length + changed.terminals.length > 0) {
        await announceRegistryChange(tx, changed);
      }
      return { changed, fresh };
    }),
  );

  for (const c of touched.fresh) {
    results[c.index] = {
      id: c.tx.id,
      outcome: 'accepted',
      decision: c.row.decision as Decision,
      alerts: c.row.alerts,
    };
  }
  for (const r of replays) {
    const first = firstInBatch.get(r.id);
    const firstResult = first ? results[first.index] : undefined;
    results[r.index] =
      first && first.row.contentHash === r.hash && firstResult && firstResult.outcome !== 'rejected'
        ? { ...firstResult, outcome: 'duplicate' }
        : rejected(
            r.id,
            'idempotency_mismatch',
            'This id appears earlier in the batch with other content',
          );
  }
  if (touched.changed.merchants.length + touched.changed.terminals.length > 0) {
    await index.refresh(ctx.db, touched.changed);
  }
  return results;
}

/** PostgreSQL's answers that mean "run the same transaction again": deadlock, serialisation. */
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']);
const ATTEMPTS_MAX = 3;

/**
 * Runs a transaction again when the database chose it as a deadlock or serialisation victim;
 * its work was rolled back whole, so running it again is safe.
 */
async function withRetry<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= ATTEMPTS_MAX || typeof code !== 'string' || !RETRYABLE_SQLSTATES.has(code)) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
    }
  }
}

/**
 * The merchant an alert belongs to is the one the money would go to (the transaction's); when
 * that merchant is unknown, the terminal's registered merchant carries it.
 */
function withOwner(hit: RuleHit, index: RegistryIndex): RuleHit {
  if (index.merchant(hit.merchantNo)) return hit;
  const bound = index.terminal(hit.terminalId)?.merchantNo;
  return bound ? { ...hit, merchantNo: bound } : hit;
}

async function raiseAlertsAndContain(
  ctx: AppContext,
  tx: Queryable,
  fresh: readonly Candidate[],
  policy: ScreeningPolicy,
  at: Date,
): Promise<{ merchants: string[]; terminals: string[] }> {
  const flagged = fresh.filter((c) => c.hits.length > 0);
  if (flagged.length === 0) return { merchants: [], terminals: [] };
  const index = ctx.index;
  if (!index) throw new Error('no index');
  // Containment locks incidents and terminals and writes audit entries: the audit chain is
  // locked first, as every registry change does, so that batches never wait on each other in
  // a cycle. Clean batches never get here and never wait.
  await lockAuditChain(tx);

  // Alerts already raised recently for the same rule, merchant and terminal are not raised again.
  const merchantNos = [...new Set(flagged.flatMap((c) => c.hits.map((h) => h.merchantNo)))];
  const { rows: recent } = await tx.query<{
    id: string;
    rule: string;
    merchant_no: string;
    terminal_id: string | null;
    incident_id: string | null;
  }>(
    `SELECT id, rule, merchant_no, terminal_id, incident_id FROM alerts
      WHERE merchant_no = ANY($1) AND created_at > $2`,
    [merchantNos, new Date(at.getTime() - ALERT_DEDUP_WINDOW_MS)],
  );
  const keyOf = (rule: string, merchantNo: string, terminalId: string | null) =>
    `${rule}|${merchantNo}|${MERCHANT_LEVEL_RULES.has(rule) ? '' : (terminalId ?? '')}`;
  // A recent alert not yet part of an incident (one raised at import, say) joins the incident
  // its cause now opens, instead of a copy of it being raised.
  const unattached = new Map<string, string>();
  for (const r of recent) {
    if (r.incident_id === null) unattached.set(keyOf(r.rule, r.merchant_no, r.terminal_id), r.id);
  }
  const seen = new Set(recent.map((r) => keyOf(r.rule, r.merchant_no, r.terminal_id)));

  const byMerchant = new Map<string, { contain: AlertRef[]; review: AlertRef[] }>();
  for (const c of flagged) {
    for (const hit of c.hits) {
      const key = keyOf(hit.rule, hit.merchantNo, hit.terminalId);
      // A contained terminal or merchant is contained again if it slipped back (a person
      // resumed the terminal without fixing the cause), so contain hits are never skipped.
      if (seen.has(key) && hit.decision !== 'contain') continue;
      let id: string | null = unattached.get(key) ?? null;
      unattached.delete(key);
      if (!seen.has(key)) {
        seen.add(key);
        id = ctx.newId();
        await insertAlert(tx, {
          id,
          rule: hit.rule,
          severity: hit.severity,
          merchantNo: hit.merchantNo,
          terminalId: MERCHANT_LEVEL_RULES.has(hit.rule) ? null : hit.terminalId,
          accountId: null,
          transactionId: c.tx.id,
          decision: hit.decision,
          explanation: { ...hit.explanation, data: hit.data },
          createdAt: at,
        });
      }
      const group = byMerchant.get(hit.merchantNo) ?? { contain: [], review: [] };
      byMerchant.set(hit.merchantNo, group);
      if (hit.decision === 'contain') group.contain.push({ id, hit });
      else if (hit.decision === 'review') group.review.push({ id, hit });
    }
  }

  const changedMerchants = new Set<string>();
  const changedTerminals = new Set<string>();
  for (const [merchantNo, group] of [...byMerchant].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const merchant = index.merchant(merchantNo);
    const terminalsAlreadyOut = group.contain.every(
      (a) => index.terminal(a.hit.terminalId)?.status !== 'active',
    );
    const alreadyContained =
      merchant?.settlementHeld && merchant.openIncidentId && terminalsAlreadyOut;
    if (group.contain.length > 0 && !alreadyContained) {
      const outcome = await contain(ctx, tx, {
        merchantNo,
        merchantKnown: merchant !== undefined,
        alerts: group.contain,
        policy,
        at,
      });
      changedMerchants.add(merchantNo);
      for (const t of outcome.suspendedTerminalIds) changedTerminals.add(t);
      await attachToOpenIncident(tx, { merchantNo, alerts: group.review, at });
    } else if (merchant?.openIncidentId) {
      await attachToOpenIncident(tx, {
        merchantNo,
        alerts: [...group.contain, ...group.review].filter((a) => a.id !== null),
        at,
      });
    }
  }
  return { merchants: [...changedMerchants], terminals: [...changedTerminals] };
}
