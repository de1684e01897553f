/**
 * The one pipeline every source goes through (JSON batches, NDJSON files, ISO 8583 messages,
 * the stream): validate each transaction on its own, tokenise the card number, find replays,
 * screen against the in-memory registry index, and commit transactions, alerts and
 * containment in ONE database transaction. When this function returns, every accepted
 * transaction is durable and every containment it triggered is in force.
 */
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
  purchaseVolumeWithin,
  purchaseVolumeSince,
  type NewTransactionRow,
  type StoredTransactionKey,
} from '../../storage/transaction-repository.js';
import { announceRegistryChange, type RegistryIndex } from '../screening/registry-index.js';
import { attachToOpenIncident, contain, type AlertRef } from '../screening/contain.js';
import { lockAuditChain } from '../audit.js';
import { lockSettlementShared, receptionAfterRuns } from '../settlement/settlement-lock.js';

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
 * The fields of a transaction's content that a replay of its id must repeat, by the name the
 * API gives them, with how to read each from the new row and from the stored one. The card
 * is compared as its token: the full number is never stored.
 */
const CONTENT_FIELDS: readonly {
  path: string;
  sent: (row: NewTransactionRow) => string | number | null;
  stored: (row: StoredTransactionKey) => string | number | null;
}[] = [
  { path: 'terminalId', sent: (r) => r.terminalId, stored: (r) => r.terminal_id },
  { path: 'merchantNo', sent: (r) => r.merchantNo, stored: (r) => r.merchant_no },
  { path: 'type', sent: (r) => r.type, stored: (r) => r.type },
  { path: 'status', sent: (r) => r.status, stored: (r) => r.status },
  { path: 'amountFen', sent: (r) => r.amountFen, stored: (r) => r.amount_fen },
  { path: 'currency', sent: (r) => r.currency, stored: (r) => r.currency },
  {
    path: 'occurredAt',
    sent: (r) => r.occurredAt.getTime(),
    stored: (r) => r.occurred_at.getTime(),
  },
  { path: 'pan', sent: (r) => r.panToken, stored: (r) => r.pan_token },
  {
    path: 'merchantNameOnReceipt',
    sent: (r) => r.merchantNameOnReceipt,
    stored: (r) => r.merchant_name_on_receipt,
  },
  { path: 'rrn', sent: (r) => r.rrn, stored: (r) => r.rrn },
  { path: 'stan', sent: (r) => r.stan, stored: (r) => r.stan },
  { path: 'authCode', sent: (r) => r.authCode, stored: (r) => r.auth_code },
  { path: 'responseCode', sent: (r) => r.responseCode, stored: (r) => r.response_code },
];

/**
 * The content fields in which `row` differs from the transaction stored (or first sent in
 * this batch) under the same id; empty for a faithful replay. Compared field by field, not
 * by a hash kept with every row: hashing each transaction on arrival cost a sixth of ingest's
 * CPU, and replays are rare (ADR 18).
 */
function changedFields(row: NewTransactionRow, earlier: NewTransactionRow | StoredTransactionKey) {
  const stored = 'terminal_id' in earlier;
  const changed: string[] = [];
  for (const field of CONTENT_FIELDS) {
    const before = stored ? field.stored(earlier) : field.sent(earlier);
    if (before !== field.sent(row)) changed.push(field.path);
  }
  return changed;
}

function mismatch(id: string, changed: readonly string[], where: string): IngestResult {
  return rejected(
    id,
    'idempotency_mismatch',
    `This id was sent ${where} with other content (${changed.join(', ')})`,
    changed.map((path) => ({
      path,
      code: 'idempotency_mismatch',
      message: `Differs from the transaction first sent with this id`,
    })),
  );
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
 * The merchants among `merchantNos` that the post-change rule watches: their account changed
 * within the watch window. Usually none.
 */
function watchedMerchants(
  index: RegistryIndex,
  policy: ScreeningPolicy,
  merchantNos: Iterable<string>,
  now: Date,
): Set<string> {
  const windowMs = (policy.postChangeSpike.windowDays + 1) * DAY_MS;
  const watched = new Set<string>();
  let last = '';
  for (const merchantNo of merchantNos) {
    if (merchantNo === last || watched.has(merchantNo)) continue;
    last = merchantNo;
    const account = index.merchant(merchantNo)?.account;
    if (account?.isChange === true && now.getTime() - account.validFromMs <= windowMs) {
      watched.add(merchantNo);
    }
  }
  return watched;
}

/**
 * Volume figures for the post-change rule: only the watched merchants are looked up (in the
 * database, so that every instance sees all traffic), and the batch's own transactions are
 * added as screening goes.
 */
async function volumeFor(
  q: Queryable,
  index: RegistryIndex,
  watched: ReadonlySet<string>,
  now: Date,
): Promise<VolumeView & { add(merchantNo: string, fen: number): void }> {
  const last24h = await purchaseVolumeSince(q, [...watched], new Date(now.getTime() - DAY_MS));
  // Each merchant's daily average over the 30 days before its account changed, all in one query.
  const windows: { merchantNo: string; since: Date; until: Date }[] = [];
  for (const merchantNo of watched) {
    const account = index.merchant(merchantNo)?.account;
    if (!account) continue;
    const since = new Date(account.validFromMs - BASELINE_DAYS * DAY_MS);
    windows.push({ merchantNo, since, until: new Date(account.validFromMs) });
  }
  const before = await purchaseVolumeWithin(q, windows);
  const baseline = new Map<string, number>();
  for (const { merchantNo } of windows) {
    baseline.set(merchantNo, Math.round((before.get(merchantNo) ?? 0) / BASELINE_DAYS));
  }
  return {
    last24hFen: (merchantNo) => last24h.get(merchantNo) ?? 0,
    baselineDailyFen: (merchantNo) => baseline.get(merchantNo) ?? 0,
    add(merchantNo, fen) {
      if (watched.has(merchantNo)) last24h.set(merchantNo, (last24h.get(merchantNo) ?? 0) + fen);
    },
  };
}

/** The answer to a transaction whose id is already stored. */
function replayOf(earlier: StoredTransactionKey, row: NewTransactionRow): IngestResult {
  const changed = changedFields(row, earlier);
  return changed.length === 0
    ? { id: earlier.id, outcome: 'duplicate', decision: earlier.decision, alerts: earlier.alerts }
    : mismatch(earlier.id, changed, 'before');
}

const NO_HITS: RuleHit[] = [];

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
  const valid: Candidate[] = [];
  for (let position = 0; position < raws.length; position += 1) {
    const checked = validateTransaction(raws[position], { now: receivedAt });
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
      hits: NO_HITS,
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
        decision: 'ok',
        alerts: [],
      },
    });
  }

  // 2. Replays. A later line of this batch with the id of an earlier one is answered with it.
  // An id stored by an earlier batch is found by the insert itself (the id is the primary
  // key) and answered from the stored row, which spares a lookup of every id of every batch.
  // Only transactions of merchants the post-change rule watches are looked up first: their
  // amounts are added to the merchant's stored volume, and a replay must not count twice.
  const firstInBatch = new Map<string, Candidate>();
  let candidates: Candidate[] = [];
  const replays: { index: number; id: string; row: NewTransactionRow }[] = [];
  for (const v of valid) {
    if (firstInBatch.has(v.tx.id)) {
      replays.push({ index: v.index, id: v.tx.id, row: v.row });
      continue;
    }
    firstInBatch.set(v.tx.id, v);
    candidates.push(v);
  }
  const watched = watchedMerchants(
    index,
    options.policy,
    candidates.map((c) => c.tx.merchantNo),
    receivedAt,
  );
  /** Ids stored before this batch, with their keys, as far as they were looked up. */
  const stored = await findTransactionKeys(
    ctx.db,
    watched.size === 0
      ? []
      : candidates.filter((c) => watched.has(c.tx.merchantNo)).map((c) => c.tx.id),
  );
  if (stored.size > 0) {
    candidates = candidates.filter((c) => {
      const earlier = stored.get(c.tx.id);
      if (earlier) results[c.index] = replayOf(earlier, c.row);
      return !earlier;
    });
  }

  // 3. Screen, in input order, against the index.
  const volume = await volumeFor(ctx.db, index, watched, receivedAt);
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
    c.row.decision = screened.decision;
    if (screened.hits.length > 0) {
      c.hits = screened.hits.map((hit) => withOwner(hit, index));
      c.row.alerts = screened.hits.map((h) => h.rule);
    }
  }

  // 4. One transaction: the rows, the alerts, the containment.
  const touched = await withRetry(() =>
    ctx.db.transaction(async (tx) => {
      // A settlement run must not read while this batch is between arrival and commit.
      await lockSettlementShared(tx);
      const arrived = await receptionAfterRuns(tx, receivedAt);
      if (arrived !== receivedAt) for (const c of candidates) c.row.receivedAt = arrived;
      // Rows go in id order: two batches sharing ids then lock them in the same order.
      const inserted = await insertTransactions(
        tx,
        candidates.map((c) => c.row).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      );
      // Ids already stored (a replay of an earlier batch, or another instance storing the same
      // id first): the stored row decides.
      const taken = candidates.filter((c) => !inserted.has(c.tx.id));
      const takenKeys = await findTransactionKeys(
        tx,
        taken.map((c) => c.tx.id),
      );
      for (const c of taken) {
        const earlier = takenKeys.get(c.tx.id);
        results[c.index] = earlier
          ? replayOf(earlier, c.row)
          : rejected(c.tx.id, 'idempotency_mismatch', 'This id was sent before with other content');
      }
      const fresh =
        taken.length === 0 ? candidates : candidates.filter((c) => inserted.has(c.tx.id));
      const changed = await raiseAlertsAndContain(ctx, tx, fresh, options.policy, receivedAt);
      if (changed.merchants.length + changed.terminals.length > 0) {
        await announceRegistryChange(tx, changed);
      }
      return { changed, fresh, takenKeys };
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
    // An id stored before this batch: every line carrying it is answered from the stored row.
    const earlier = stored.get(r.id) ?? touched.takenKeys.get(r.id);
    if (earlier) {
      results[r.index] = replayOf(earlier, r.row);
      continue;
    }
    const first = firstInBatch.get(r.id);
    const firstResult = first ? results[first.index] : undefined;
    const changed = first ? changedFields(r.row, first.row) : [];
    if (!first || !firstResult || firstResult.outcome === 'rejected') {
      results[r.index] = rejected(
        r.id,
        'idempotency_mismatch',
        'This id appears earlier in the batch with other content',
      );
    } else {
      results[r.index] =
        changed.length === 0
          ? { ...firstResult, outcome: 'duplicate' }
          : mismatch(r.id, changed, 'earlier in this batch');
    }
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

/** The alert key: merchant-level rules are raised once per merchant, the others per terminal. */
function alertKey(rule: string, merchantNo: string, terminalId: string | null): string {
  return `${rule}|${merchantNo}|${MERCHANT_LEVEL_RULES.has(rule) ? '' : (terminalId ?? '')}`;
}

/**
 * Alerts raised recently for the merchants, by key: those seen, and those not yet part of an
 * incident (one raised at import, say), which join the incident their cause now opens instead
 * of a copy of them being raised. Alerts a drill made up do not count: a drill must not keep a
 * real alert from being raised.
 */
async function recentAlerts(
  tx: Queryable,
  merchantNos: readonly string[],
  at: Date,
): Promise<{ seen: Set<string>; unattached: Map<string, string> }> {
  const { rows } = await tx.query<{
    id: string;
    rule: string;
    merchant_no: string;
    terminal_id: string | null;
    incident_id: string | null;
  }>(
    `SELECT id, rule, merchant_no, terminal_id, incident_id FROM alerts
      WHERE merchant_no = ANY($1) AND created_at > $2 AND NOT drill`,
    [merchantNos, new Date(at.getTime() - ALERT_DEDUP_WINDOW_MS)],
  );
  const seen = new Set<string>();
  const unattached = new Map<string, string>();
  for (const r of rows) {
    const key = alertKey(r.rule, r.merchant_no, r.terminal_id);
    seen.add(key);
    if (r.incident_id === null) unattached.set(key, r.id);
  }
  return { seen, unattached };
}

/** The merchant's hold, incident and the terminals of its contain hits are all in force. */
function alreadyContained(index: RegistryIndex, merchantNo: string, hits: readonly RuleHit[]) {
  const merchant = index.merchant(merchantNo);
  return (
    merchant !== undefined &&
    merchant.settlementHeld &&
    merchant.openIncidentId !== null &&
    hits.every((hit) => index.terminal(hit.terminalId)?.status !== 'active')
  );
}

/**
 * Whether the flagged transactions call for any write: an alert not raised recently, or a
 * merchant to contain (with any recent alert of its cause not yet in an incident). Traffic of a known fault (a terminal with old
 * firmware, a contained merchant's last sales) is in nearly every batch and, once its alerts are
 * raised and its merchant contained, writes nothing.
 */
function needsWrites(
  index: RegistryIndex,
  flagged: readonly Candidate[],
  recent: { seen: ReadonlySet<string>; unattached: ReadonlyMap<string, string> },
): boolean {
  const containHits = new Map<string, RuleHit[]>();
  for (const c of flagged) {
    for (const hit of c.hits) {
      const key = alertKey(hit.rule, hit.merchantNo, hit.terminalId);
      if (!recent.seen.has(key)) return true;
      if (hit.decision === 'contain') {
        // A recent alert outside any incident joins the one its containment opens.
        if (recent.unattached.has(key)) return true;
        const hits = containHits.get(hit.merchantNo) ?? [];
        hits.push(hit);
        containHits.set(hit.merchantNo, hits);
      }
    }
  }
  for (const [merchantNo, hits] of containHits) {
    if (!alreadyContained(index, merchantNo, hits)) return true;
  }
  return false;
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
  const merchantNos = [...new Set(flagged.flatMap((c) => c.hits.map((h) => h.merchantNo)))];
  // A first look without the lock: a batch with nothing to write does not wait for the audit
  // chain (which people's changes, jobs and other containing batches hold). What it saw can
  // only be out of date by alerts raised since, which the look under the lock finds.
  if (!needsWrites(index, flagged, await recentAlerts(tx, merchantNos, at))) {
    return { merchants: [], terminals: [] };
  }
  // Containment locks incidents and terminals and writes audit entries: the audit chain is
  // locked first, as every registry change does, so that batches never wait on each other in
  // a cycle, and two batches cannot raise the same alert twice.
  await lockAuditChain(tx);
  const { seen, unattached } = await recentAlerts(tx, merchantNos, at);
  const byMerchant = new Map<string, { contain: AlertRef[]; review: AlertRef[] }>();
  for (const c of flagged) {
    for (const hit of c.hits) {
      const key = alertKey(hit.rule, hit.merchantNo, hit.terminalId);
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
      if (hit.decision === 'contain') group.contain.push({ id, hit, transactionId: c.tx.id });
      else if (hit.decision === 'review') group.review.push({ id, hit, transactionId: c.tx.id });
    }
  }

  const changedMerchants = new Set<string>();
  const changedTerminals = new Set<string>();
  for (const [merchantNo, group] of [...byMerchant].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const merchant = index.merchant(merchantNo);
    const contained = alreadyContained(
      index,
      merchantNo,
      group.contain.map((a) => a.hit),
    );
    if (group.contain.length > 0 && !contained) {
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
