/**
 * Releasing held money: an explicit act of an admin or approver, with a reason, allowed only
 * once the merchant has an active (verified) account in force and no open incident. It lifts
 * the active hold and marks every held or returned line not yet released; the money moves from
 * held to released in the ledger and goes out with the merchant's next run, to the account in
 * force then (that run screens it again).
 */
import type { AppContext } from '../context.js';
import { authorise, changeRegistry, ensureInScope } from '../context.js';
import { recordAudit } from '../audit.js';
import { DomainError, issue } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import { currentAccount, findMerchant } from '../../storage/registry-repository.js';
import { releaseJournal } from '../../core/settlement/ledger.js';
import { insertJournals } from '../ledger/journals.js';
import { emitEvent } from '../events.js';
import { addIncidentEvent } from '../incidents/timeline.js';
import { INCIDENT_STATUSES_NOT_HOLDING } from '../../core/settlement/screening.js';

export const RELEASE_REASON_LENGTH_MAX = 500;

/** An incident in these statuses no longer stands in the way of a release. */
const RELEASABLE_INCIDENT_STATUSES: readonly string[] = INCIDENT_STATUSES_NOT_HOLDING;

export interface ReleaseOutcome {
  id: string;
  merchantNo: string;
  holdId: string | null;
  amountFen: number;
  lineCount: number;
  reason: string;
  releasedBy: string;
  releasedAt: string;
}

export async function releaseHold(
  ctx: AppContext,
  principal: Principal,
  input: { merchantNo: string; reason: string },
): Promise<ReleaseOutcome> {
  authorise(principal, 'settlement.release');
  ensureInScope(principal, input.merchantNo, 'Merchant');
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > RELEASE_REASON_LENGTH_MAX) {
    throw new DomainError('validation_failed', 'A reason is required', [
      issue('reason', 'validation_failed', `1 to ${RELEASE_REASON_LENGTH_MAX} characters`),
    ]);
  }
  const at = ctx.now();
  return changeRegistry(ctx, async (tx, changed) => {
    const merchant = await findMerchant(tx, input.merchantNo);
    if (!merchant) throw new DomainError('not_found', 'Merchant not found');
    const account = await currentAccount(tx, input.merchantNo);
    if (!account || account.status !== 'active') {
      throw new DomainError(
        'no_verified_account',
        `Merchant ${input.merchantNo} has no active, verified settlement account (now: ${account?.status ?? 'none'}); correct and verify it first`,
      );
    }
    const incident = await tx.query<{ id: string; status: string }>(
      `SELECT id, status FROM incidents
        WHERE merchant_no = $1 AND status NOT IN ('resolved', 'closed') AND NOT drill`,
      [input.merchantNo],
    );
    const open = incident.rows[0];
    // Money goes out again only once the incident has reached remediation: the account has
    // been corrected and verified by then (correcting, verifying come before it).
    if (open && !RELEASABLE_INCIDENT_STATUSES.includes(open.status)) {
      throw new DomainError(
        'open_containment',
        `Merchant ${input.merchantNo} has an open incident (${open.id}, ${open.status}); money can be released once it reaches remediation`,
      );
    }
    const hold = await tx.query<{ id: string; reason: string; placed_at: Date; placed_by: string }>(
      `SELECT id, reason, placed_at, placed_by FROM settlement_holds
        WHERE merchant_no = $1 AND released_at IS NULL FOR UPDATE`,
      [input.merchantNo],
    );
    const activeHold = hold.rows[0] ?? null;
    const releaseId = ctx.newId();
    const lines = await tx.query<{ id: string; amount_fen: number }>(
      `UPDATE settlement_lines SET release_id = $2
        WHERE merchant_no = $1 AND status IN ('held', 'returned') AND release_id IS NULL
        RETURNING id, amount_fen`,
      [input.merchantNo, releaseId],
    );
    if (!activeHold && lines.rows.length === 0) {
      throw new DomainError(
        'nothing_held',
        `Merchant ${input.merchantNo} has no hold and no held money`,
      );
    }
    const amountFen = lines.rows.reduce((sum, row) => sum + row.amount_fen, 0);
    if (activeHold) {
      await tx.query(
        `UPDATE settlement_holds SET released_at = $2, released_by = $3, release_reason = $4
          WHERE id = $1`,
        [activeHold.id, at, principal.username, reason],
      );
    }
    await tx.query(
      `INSERT INTO settlement_releases (id, merchant_no, hold_id, reason, amount_fen, line_count,
         released_by, released_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        releaseId,
        input.merchantNo,
        activeHold?.id ?? null,
        reason,
        amountFen,
        lines.rows.length,
        principal.username,
        at,
      ],
    );
    await insertJournals(
      tx,
      [releaseJournal({ releaseId, merchantNo: input.merchantNo, amountFen })],
      {
        at,
        actor: principal.username,
      },
    );
    const outcome: ReleaseOutcome = {
      id: releaseId,
      merchantNo: input.merchantNo,
      holdId: activeHold?.id ?? null,
      amountFen,
      lineCount: lines.rows.length,
      reason,
      releasedBy: principal.username,
      releasedAt: at.toISOString(),
    };
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'settlement.released',
        entityType: 'settlement_hold',
        entityId: activeHold?.id ?? releaseId,
        merchantNo: input.merchantNo,
        before: activeHold
          ? { holdId: activeHold.id, reason: activeHold.reason, placedBy: activeHold.placed_by }
          : null,
        after: { ...outcome, lineIds: lines.rows.map((row) => row.id) },
      },
      at,
    );
    if (open) {
      await addIncidentEvent(tx, {
        incidentId: open.id,
        at,
        kind: 'settlement_released',
        actor: principal.username,
        text: {
          zh: `已放行商户 ${input.merchantNo} 被暂停的结算款 ¥${(amountFen / 100).toFixed(2)}（${lines.rows.length} 笔）：${reason}`,
          en: `Held settlement of merchant ${input.merchantNo} released, ¥${(amountFen / 100).toFixed(2)} (${lines.rows.length} lines): ${reason}`,
        },
        data: { releaseId, amountFen },
      });
    }
    await emitEvent(
      ctx,
      tx,
      {
        type: 'settlement.released',
        merchantNo: input.merchantNo,
        incidentId: open?.id ?? null,
        data: {
          merchantNo: input.merchantNo,
          releaseId,
          holdId: activeHold?.id ?? null,
          amountFen,
          lineCount: lines.rows.length,
          releasedBy: principal.username,
        },
      },
      at,
    );
    changed({ merchants: [input.merchantNo] });
    return outcome;
  });
}
