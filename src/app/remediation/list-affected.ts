/** `GET /incidents/{id}/affected-transactions`: the affected payments with their remediations. */
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { scopeAllows, type Principal } from '../../core/roles.js';
import {
  AFFECTED_KINDS,
  KIND_NAMES,
  type AffectedKind,
} from '../../core/remediation/remediation.js';
import { readAffected, targetKey, type RemediationRef } from './affected.js';
import { incidentFor } from './shared.js';

export interface AffectedItem {
  kind: AffectedKind;
  kindName: { zh: string; en: string };
  transactionId: string | null;
  lineId: string | null;
  merchantNo: string;
  terminalId: string | null;
  amountFen: number;
  occurredAt: string;
  rrn: string | null;
  stan: string | null;
  panMasked: string | null;
  accountNumberMasked: string | null;
  lineStatus: string | null;
  /** payout_returned: the held money has been released (it goes out with the next run). */
  released: boolean;
  /** The standing remediation (the first one when there are several), else the latest. */
  remediation: RemediationRef | null;
  remediations: RemediationRef[];
}

export interface AffectedList {
  items: AffectedItem[];
  totals: Record<AffectedKind | 'all', { count: number; amountFen: number }> & {
    remediated: number;
    unremediated: number;
  };
}

export async function listAffected(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
): Promise<AffectedList> {
  authorise(principal, 'remediation.read');
  const incident = await incidentFor(ctx.db, principal, incidentId);
  const { rows, totals } = await readAffected(ctx.db, incident.id);
  const remediations = await ctx.db.query<{
    id: string;
    action: RemediationRef['action'];
    status: RemediationRef['status'];
    transaction_id: string | null;
    line_id: string | null;
  }>(
    `SELECT id, action, status, transaction_id, line_id FROM remediations
      WHERE incident_id = $1 ORDER BY seq`,
    [incident.id],
  );
  const byTarget = new Map<string, RemediationRef[]>();
  for (const r of remediations.rows) {
    const key = targetKey(r);
    const list = byTarget.get(key) ?? [];
    list.push({ id: r.id, action: r.action, status: r.status });
    byTarget.set(key, list);
  }
  // Declined payments on the incident's terminals may be another merchant's: a merchant user
  // sees only its own.
  const visible = rows.filter((r) => scopeAllows(principal, r.merchant_no));
  const items = visible.map((r): AffectedItem => {
    const list = byTarget.get(targetKey(r)) ?? [];
    const standing = list.find((x) => x.status !== 'cancelled');
    return {
      kind: r.kind,
      kindName: KIND_NAMES[r.kind],
      transactionId: r.transaction_id,
      lineId: r.line_id,
      merchantNo: r.merchant_no,
      terminalId: r.terminal_id,
      amountFen: r.amount_fen,
      occurredAt: new Date(r.occurred_at).toISOString(),
      rrn: r.rrn,
      stan: r.stan,
      panMasked: r.pan_masked,
      accountNumberMasked: r.account_number_masked,
      lineStatus: r.line_status,
      released: r.released,
      remediation: standing ?? list[list.length - 1] ?? null,
      remediations: list,
    };
  });
  const perKind =
    visible.length === rows.length
      ? totals
      : (Object.fromEntries(
          AFFECTED_KINDS.map((k) => {
            const of = items.filter((i) => i.kind === k);
            return [k, { count: of.length, amountFen: of.reduce((s, i) => s + i.amountFen, 0) }];
          }),
        ) as typeof totals);
  const all = AFFECTED_KINDS.reduce(
    (acc, k) => ({
      count: acc.count + perKind[k].count,
      amountFen: acc.amountFen + perKind[k].amountFen,
    }),
    { count: 0, amountFen: 0 },
  );
  const remediated = items.filter((i) =>
    i.remediations.some((r) => r.status !== 'cancelled'),
  ).length;
  return {
    items,
    totals: { ...perKind, all, remediated, unremediated: items.length - remediated },
  };
}
