/**
 * What people do to an account change once asked: attach documents, record consent, approve
 * (two different approvers for a high-risk change, never the requester), reject, cancel. Each
 * in one transaction: the audit chain's lock, the request row locked, the decision asked of
 * core/account-changes, the update, its audit entry and the incident's timeline.
 */
import type { AppContext } from '../context.js';
import { authorise, scopeAllowsOrNotFound } from './scope.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { DomainError, issue, type ErrorCode } from '../../core/errors.js';
import type { Permission, Principal } from '../../core/roles.js';
import type { Queryable } from '../../storage/database.js';
import {
  approvalRefusal,
  approvedAfter,
  OPEN_STAGES,
  type ConsentChannel,
} from '../../core/account-changes/index.js';
import { businessDateOf } from '../../core/settlement/calendar.js';
import { UUID } from '../settlement/queries.js';
import { findRequest, type RequestRow } from './store.js';
import { loadBundle, loadBundles } from './queries.js';
import { factsOf, presentRequest, type RequestBundle } from './view.js';
import { attachDocumentRows, auditView } from './request-change.js';
import { changeOnTimeline } from './timeline.js';

const REFUSALS: Partial<Record<ErrorCode, string>> = {
  forbidden: 'Your role may not do this',
  invalid_state: 'The account change is not in a state that allows this',
  four_eyes_violation:
    'The person who asked for a change cannot decide it, and two approvals must come from two people',
  documents_missing: 'Every required document must be accepted before approval',
  consent_missing: "The merchant's consent must be recorded before approval",
  verification_not_sent: 'The micro-deposit has not gone out in a payout file yet',
};

export function refuse(code: ErrorCode | null): void {
  if (code !== null) throw new DomainError(code, REFUSALS[code] ?? code);
}

/**
 * Runs `work` on the request locked in a transaction that holds the audit chain's lock; the
 * caller's permission is checked first, the merchant scope next (outside: not found).
 */
export async function onRequest<T>(
  ctx: AppContext,
  principal: Principal,
  id: string,
  permission: Permission,
  work: (tx: Queryable, bundle: RequestBundle, at: Date) => Promise<T>,
  transaction: <R>(fn: (tx: Queryable) => Promise<R>) => Promise<R> = (fn) =>
    ctx.db.transaction(fn),
): Promise<T> {
  authorise(principal, permission);
  const at = ctx.now();
  return transaction(async (tx) => {
    await lockAuditChain(tx);
    const row = UUID.test(id) ? await findRequest(tx, id, { forUpdate: true }) : undefined;
    if (!row) throw new DomainError('not_found', 'Account change not found');
    scopeAllowsOrNotFound(principal, row.merchant_no);
    const [bundle] = await loadBundles(tx, [row]);
    if (!bundle) throw new Error('account change bundle missing');
    return work(tx, bundle, at);
  });
}

export async function viewOf(ctx: AppContext, principal: Principal, id: string) {
  const bundle = await loadBundle(ctx.db, id);
  if (!bundle) throw new DomainError('not_found', 'Account change not found');
  return presentRequest(bundle, principal, ctx.now());
}

export async function attachDocuments(
  ctx: AppContext,
  principal: Principal,
  id: string,
  documentIds: readonly string[],
) {
  await onRequest(ctx, principal, id, 'account_changes.request', async (tx, { row }, at) => {
    if (row.status !== 'pending_approval') refuse('invalid_state');
    const attached = await attachDocumentRows(tx, {
      requestId: row.id,
      merchantNo: row.merchant_no,
      documentIds,
      actor: principal.username,
      at,
    });
    if (attached.length === 0) return;
    await tx.query('UPDATE account_change_requests SET updated_at = $2 WHERE id = $1', [
      row.id,
      at,
    ]);
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'account_change.documents_attached',
        entityType: 'account_change',
        entityId: row.id,
        merchantNo: row.merchant_no,
        after: { documentIds: attached },
      },
      at,
    );
  });
  return viewOf(ctx, principal, id);
}

export async function recordConsent(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: { channel: ConsentChannel; reference?: string },
) {
  await onRequest(ctx, principal, id, 'account_changes.consent', async (tx, { row }, at) => {
    if (row.status !== 'pending_approval' || row.consent_recorded_at !== null) {
      refuse('invalid_state');
    }
    if (principal.role === 'merchant' && input.channel !== 'merchant_console') {
      throw new DomainError('validation_failed', 'A merchant user consents in the console', [
        issue('channel', 'validation_failed', 'Must be merchant_console for a merchant user'),
      ]);
    }
    const reference = input.reference?.trim() || null;
    if (principal.role !== 'merchant' && input.channel !== 'merchant_console' && !reference) {
      throw new DomainError('validation_failed', 'Name the signed form or the recorded call', [
        issue('reference', 'validation_failed', 'A reference is required for this channel'),
      ]);
    }
    await tx.query(
      `UPDATE account_change_requests SET consent_channel = $2, consent_reference = $3,
         consent_recorded_by = $4, consent_recorded_at = $5, updated_at = $5 WHERE id = $1`,
      [row.id, input.channel, reference, principal.username, at],
    );
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'account_change.consent_recorded',
        entityType: 'account_change',
        entityId: row.id,
        merchantNo: row.merchant_no,
        after: { channel: input.channel, reference },
      },
      at,
    );
  });
  return viewOf(ctx, principal, id);
}

export async function approveChange(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: { note?: string },
) {
  await onRequest(ctx, principal, id, 'account_changes.approve', async (tx, bundle, at) => {
    const { row } = bundle;
    const facts = factsOf(bundle, businessDateOf(at));
    refuse(approvalRefusal(facts, { username: principal.username, role: principal.role }));
    const approved = approvedAfter(facts);
    const note = input.note?.trim() || null;
    await tx.query(
      `INSERT INTO account_change_approvals (request_id, approver, at, note) VALUES ($1, $2, $3, $4)`,
      [row.id, principal.username, at, note],
    );
    await tx.query(
      `UPDATE account_change_requests SET status = $2, updated_at = $3 WHERE id = $1`,
      [row.id, approved ? 'pending_verification' : 'pending_approval', at],
    );
    const n = facts.approvals.length + 1;
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'account_change.approved',
        entityType: 'account_change',
        entityId: row.id,
        merchantNo: row.merchant_no,
        before: { status: row.status, approvals: facts.approvals.length },
        after: {
          status: approved ? 'pending_verification' : 'pending_approval',
          approvals: n,
          approvalsNeeded: row.approvals_needed,
          note,
        },
      },
      at,
    );
    await changeOnTimeline(tx, row, {
      kind: 'account_change_approved',
      actor: principal.username,
      at,
      text: approved
        ? {
            zh: `结算账户变更（${row.account_number_masked}）已审批通过（${n}/${row.approvals_needed}），待验证`,
            en: `Account change to ${row.account_number_masked} approved (${n}/${row.approvals_needed}); verification next`,
          }
        : {
            zh: `结算账户变更（${row.account_number_masked}）第 ${n} 位审批人已同意，尚需 ${row.approvals_needed - n} 位`,
            en: `Account change to ${row.account_number_masked}: approval ${n} of ${row.approvals_needed}`,
          },
    });
  });
  return viewOf(ctx, principal, id);
}

async function endRequest(
  tx: Queryable,
  row: RequestRow,
  input: {
    to: 'rejected' | 'cancelled';
    actor: string;
    reason: string;
    at: Date;
  },
): Promise<void> {
  if (input.to === 'rejected') {
    await tx.query(
      `UPDATE account_change_requests SET status = 'rejected', rejected_by = $2, rejected_at = $3,
         rejection_reason = $4, updated_at = $3 WHERE id = $1`,
      [row.id, input.actor, input.at, input.reason],
    );
  } else {
    await tx.query(
      `UPDATE account_change_requests SET status = 'cancelled', cancelled_by = $2,
         cancelled_at = $3, cancel_reason = $4, updated_at = $3 WHERE id = $1`,
      [row.id, input.actor, input.at, input.reason],
    );
  }
  // A micro-deposit not yet in a file is not sent any more.
  await tx.query(
    `UPDATE account_change_verifications SET status = 'cancelled'
      WHERE request_id = $1 AND status IN ('awaiting_file', 'awaiting_transaction')`,
    [row.id],
  );
  await recordAudit(
    tx,
    {
      actor: input.actor,
      action: input.to === 'rejected' ? 'account_change.rejected' : 'account_change.cancelled',
      entityType: 'account_change',
      entityId: row.id,
      merchantNo: row.merchant_no,
      before: auditView(row),
      after: { status: input.to, reason: input.reason },
    },
    input.at,
  );
  await changeOnTimeline(tx, row, {
    kind: input.to === 'rejected' ? 'account_change_rejected' : 'account_change_cancelled',
    actor: input.actor,
    at: input.at,
    text:
      input.to === 'rejected'
        ? {
            zh: `结算账户变更（${row.account_number_masked}）被驳回：${input.reason}`,
            en: `Account change to ${row.account_number_masked} rejected: ${input.reason}`,
          }
        : {
            zh: `结算账户变更（${row.account_number_masked}）已撤销：${input.reason}`,
            en: `Account change to ${row.account_number_masked} cancelled: ${input.reason}`,
          },
  });
}

function reasonOf(reason: string): string {
  const text = reason.trim();
  if (!text) {
    throw new DomainError('validation_failed', 'A reason is required', [
      issue('reason', 'validation_failed', 'Say why'),
    ]);
  }
  return text;
}

export async function rejectChange(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: { reason?: string; note?: string },
) {
  // `note`, as an approval has, is taken as the reason too.
  const reason = reasonOf(input.reason ?? input.note ?? '');
  await onRequest(ctx, principal, id, 'account_changes.approve', async (tx, { row }, at) => {
    if (row.status !== 'pending_approval') refuse('invalid_state');
    if (row.requested_by === principal.username) refuse('four_eyes_violation');
    await endRequest(tx, row, { to: 'rejected', actor: principal.username, reason, at });
  });
  return viewOf(ctx, principal, id);
}

export async function cancelChange(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: { reason: string },
) {
  const reason = reasonOf(input.reason);
  await onRequest(ctx, principal, id, 'account_changes.cancel', async (tx, { row }, at) => {
    if (!OPEN_STAGES.includes(row.status)) refuse('invalid_state');
    await endRequest(tx, row, { to: 'cancelled', actor: principal.username, reason, at });
  });
  return viewOf(ctx, principal, id);
}
