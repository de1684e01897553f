/**
 * Verifying the new account once approved. A micro-deposit: a random 0.01–0.99 yuan
 * (crypto.randomInt), never shown, sent in the next payout file downloaded
 * (micro-deposits.ts), which the merchant confirms: three wrong amounts lock the request. Or a
 * test transaction: a random 1.01–9.99 yuan the merchant keys in on one of its active
 * terminals, matched when that approved purchase arrives (a job every 30 s, and on reading the
 * request). Verified, the change completes in the same registry transaction (complete.ts).
 */
import crypto from 'node:crypto';
import type { AppContext } from '../context.js';
import { authorise, changeRegistry } from '../context.js';
import { recordAudit } from '../audit.js';
import { enqueueJob } from '../jobs.js';
import { DomainError, issue } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import type { Queryable } from '../../storage/database.js';
import type { RegistryChange } from '../screening/registry-index.js';
import {
  confirmOutcome,
  confirmRefusal,
  displayStatus,
  missingDocuments,
  MICRO_DEPOSIT_FEN,
  TEST_TRANSACTION_FEN,
  verificationStartRefusal,
  type Status,
  type VerificationMethod,
} from '../../core/account-changes/index.js';
import { businessDateOf } from '../../core/settlement/calendar.js';
import { UUID } from '../settlement/queries.js';
import {
  findRequest,
  latestVerifications,
  type RequestRow,
  type VerificationRow,
} from './store.js';
import { loadBundles } from './queries.js';
import { factsOf, type RequestBundle } from './view.js';
import { onRequest, refuse, viewOf } from './actions.js';
import { scopeAllowsOrNotFound } from './scope.js';
import { completeChange } from './complete.js';
import { changeOnTimeline } from './timeline.js';

export const MATCH_TEST_TRANSACTION_JOB = 'account_change.match_test_transaction';
export const MATCH_POLL_MS = 30_000;
/** A test transaction not keyed in within a week is no longer looked for by the job. */
export const MATCH_GIVE_UP_MS = 7 * 24 * 3_600_000;

export interface VerificationOptions {
  coolingOffHours: number;
}

export async function startVerification(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: { method?: VerificationMethod; terminalId?: string },
) {
  const method = input.method ?? 'micro_deposit';
  await onRequest(ctx, principal, id, 'account_changes.verify', async (tx, bundle, at) => {
    const { row } = bundle;
    refuse(verificationStartRefusal(factsOf(bundle, businessDateOf(at))));
    let terminalId: string | null = null;
    let amountFen: number;
    if (method === 'test_transaction') {
      const { rows } = await tx.query<{ terminal_id: string }>(
        `SELECT terminal_id FROM terminals
          WHERE merchant_no = $1 AND valid_to IS NULL AND status = 'active'
            AND ($2::text IS NULL OR terminal_id = $2)
          ORDER BY terminal_id LIMIT 1`,
        [row.merchant_no, input.terminalId ?? null],
      );
      terminalId = rows[0]?.terminal_id ?? null;
      if (!terminalId) {
        throw new DomainError(
          'no_active_terminal',
          input.terminalId
            ? 'That terminal is not an active terminal of this merchant'
            : 'The merchant has no active terminal for a test transaction',
          input.terminalId
            ? [issue('terminalId', 'no_active_terminal', 'Not an active terminal of the merchant')]
            : [],
        );
      }
      amountFen = crypto.randomInt(TEST_TRANSACTION_FEN.min, TEST_TRANSACTION_FEN.max + 1);
    } else {
      amountFen = crypto.randomInt(MICRO_DEPOSIT_FEN.min, MICRO_DEPOSIT_FEN.max + 1);
    }
    const verificationId = ctx.newId();
    await tx.query(
      `INSERT INTO account_change_verifications (id, request_id, merchant_no, method, status,
         amount_fen, terminal_id, started_by, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        verificationId,
        row.id,
        row.merchant_no,
        method,
        method === 'micro_deposit' ? 'awaiting_file' : 'awaiting_transaction',
        amountFen,
        terminalId,
        principal.username,
        at,
      ],
    );
    await tx.query('UPDATE account_change_requests SET updated_at = $2 WHERE id = $1', [
      row.id,
      at,
    ]);
    if (method === 'test_transaction') {
      await enqueueJob(
        tx,
        {
          kind: MATCH_TEST_TRANSACTION_JOB,
          payload: { verificationId },
          runAt: new Date(at.getTime() + MATCH_POLL_MS),
          dedupeKey: `${MATCH_TEST_TRANSACTION_JOB}:${verificationId}`,
        },
        at,
      );
    }
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'account_change.verification_started',
        entityType: 'account_change',
        entityId: row.id,
        merchantNo: row.merchant_no,
        // Never the micro-deposit's amount: it is what the merchant proves it received.
        after: { verificationId, method, terminalId },
      },
      at,
    );
  });
  return viewOf(ctx, principal, id);
}

async function markVerified(
  ctx: AppContext,
  tx: Queryable,
  changed: (change: RegistryChange) => void,
  row: RequestRow,
  verification: VerificationRow,
  input: {
    actor: string;
    at: Date;
    status: 'confirmed' | 'matched';
    transactionId?: string;
    coolingOffHours: number;
  },
): Promise<void> {
  const { at, actor } = input;
  if (input.status === 'confirmed') {
    await tx.query(
      `UPDATE account_change_verifications SET status = 'confirmed', confirmed_at = $2 WHERE id = $1`,
      [verification.id, at],
    );
  } else {
    await tx.query(
      `UPDATE account_change_verifications SET status = 'matched', matched_at = $2,
         matched_transaction_id = $3 WHERE id = $1`,
      [verification.id, at, input.transactionId ?? null],
    );
  }
  await tx.query(
    'UPDATE account_change_requests SET verified_at = $2, updated_at = $2 WHERE id = $1',
    [row.id, at],
  );
  await recordAudit(
    tx,
    {
      actor,
      action: 'account_change.verified',
      entityType: 'account_change',
      entityId: row.id,
      merchantNo: row.merchant_no,
      after: {
        verificationId: verification.id,
        method: verification.method,
        ...(input.transactionId ? { transactionId: input.transactionId } : {}),
      },
    },
    at,
  );
  await changeOnTimeline(tx, row, {
    kind: 'account_change_verified',
    actor,
    at,
    text:
      verification.method === 'micro_deposit'
        ? {
            zh: `新账户 ${row.account_number_masked} 已通过小额打款验证`,
            en: `New account ${row.account_number_masked} verified by micro-deposit`,
          }
        : {
            zh: `新账户 ${row.account_number_masked} 已通过测试交易验证（终端 ${verification.terminal_id ?? ''}）`,
            en: `New account ${row.account_number_masked} verified by a test transaction on terminal ${verification.terminal_id ?? ''}`,
          },
  });
  await completeChange(ctx, tx, changed, row, {
    actor,
    at,
    coolingOffHours: input.coolingOffHours,
  });
}

export async function confirmMicroDeposit(
  ctx: AppContext,
  principal: Principal,
  options: VerificationOptions,
  id: string,
  input: { amountFen: number },
): Promise<{ matched: boolean; attemptsLeft: number; status: Status }> {
  authorise(principal, 'account_changes.confirm');
  const at = ctx.now();
  return changeRegistry(ctx, async (tx, changed) => {
    const row = UUID.test(id) ? await findRequest(tx, id, { forUpdate: true }) : undefined;
    if (!row) throw new DomainError('not_found', 'Account change not found');
    scopeAllowsOrNotFound(principal, row.merchant_no);
    const [bundle] = (await loadBundles(tx, [row])) as [RequestBundle];
    const verification = bundle.verification;
    const facts = factsOf(bundle, businessDateOf(at));
    refuse(confirmRefusal(facts));
    if (!verification) throw new Error('confirm refusal let a missing verification through');
    const outcome = confirmOutcome(facts, {
      givenFen: input.amountFen,
      expectedFen: verification.amount_fen,
    });
    if (outcome.matched) {
      await markVerified(ctx, tx, changed, row, verification, {
        actor: principal.username,
        at,
        status: 'confirmed',
        coolingOffHours: options.coolingOffHours,
      });
      return { matched: true, attemptsLeft: outcome.attemptsLeft, status: 'completed' };
    }
    await tx.query(
      `UPDATE account_change_requests SET attempts_left = $2, updated_at = $3,
         status = CASE WHEN $4::boolean THEN 'locked' ELSE status END,
         locked_at = CASE WHEN $4::boolean THEN $3 ELSE locked_at END
       WHERE id = $1`,
      [row.id, outcome.attemptsLeft, at, outcome.locked],
    );
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'account_change.confirmation_failed',
        entityType: 'account_change',
        entityId: row.id,
        merchantNo: row.merchant_no,
        after: { verificationId: verification.id, attemptsLeft: outcome.attemptsLeft },
      },
      at,
    );
    if (outcome.locked) {
      await tx.query(`UPDATE account_change_verifications SET status = 'locked' WHERE id = $1`, [
        verification.id,
      ]);
      await recordAudit(
        tx,
        {
          actor: principal.username,
          action: 'account_change.locked',
          entityType: 'account_change',
          entityId: row.id,
          merchantNo: row.merchant_no,
          before: { status: row.status },
          after: { status: 'locked', reason: 'three wrong micro-deposit amounts' },
        },
        at,
      );
      await changeOnTimeline(tx, row, {
        kind: 'account_change_locked',
        actor: principal.username,
        at,
        text: {
          zh: `小额打款金额三次输入错误，结算账户变更（${row.account_number_masked}）已锁定`,
          en: `Three wrong micro-deposit amounts: the account change to ${row.account_number_masked} is locked`,
        },
      });
    }
    const status: Status = outcome.locked
      ? 'locked'
      : displayStatus(
          row.status,
          missingDocuments(row.required_documents, bundle.documents, businessDateOf(at)),
        );
    return { matched: false, attemptsLeft: outcome.attemptsLeft, status };
  });
}

/**
 * Looks for the approved purchase of each awaited test transaction (of one request, one
 * verification, or all); each found verifies and completes its change. Returns how many did.
 */
export async function matchTestTransactions(
  ctx: AppContext,
  options: VerificationOptions & { requestId?: string; verificationId?: string },
): Promise<number> {
  const { rows: candidates } = await ctx.db.query<{
    id: string;
    request_id: string;
    transaction_id: string;
  }>(
    `SELECT v.id, v.request_id, t.id AS transaction_id
       FROM account_change_verifications v
       JOIN LATERAL (
         SELECT id FROM transactions t
          WHERE t.merchant_no = v.merchant_no AND t.terminal_id = v.terminal_id
            AND t.type = 'purchase' AND t.status = 'approved' AND t.amount_fen = v.amount_fen
            AND t.received_at >= v.started_at
          ORDER BY t.received_at, t.id LIMIT 1) t ON true
      WHERE v.status = 'awaiting_transaction'
        AND ($1::uuid IS NULL OR v.request_id = $1)
        AND ($2::uuid IS NULL OR v.id = $2)
      LIMIT 100`,
    [options.requestId ?? null, options.verificationId ?? null],
  );
  let matched = 0;
  for (const candidate of candidates) {
    const done = await changeRegistry(ctx, async (tx, changed) => {
      const row = await findRequest(tx, candidate.request_id, { forUpdate: true });
      if (!row || row.status !== 'pending_verification') return false;
      const verification = (await latestVerifications(tx, [row.id])).get(row.id);
      if (!verification || verification.id !== candidate.id) return false;
      if (verification.status !== 'awaiting_transaction') return false;
      await markVerified(ctx, tx, changed, row, verification, {
        actor: 'settleguard',
        at: ctx.now(),
        status: 'matched',
        transactionId: candidate.transaction_id,
        coolingOffHours: options.coolingOffHours,
      });
      return true;
    });
    if (done) matched += 1;
  }
  return matched;
}
