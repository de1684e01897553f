import type {
  AffectedKind,
  AffectedTotal,
  AffectedTransaction,
  AffectedTransactions,
  Remediation,
  RemediationAction,
} from '../../api/remediation';
import { AFFECTED_KINDS } from '../../api/remediation';

/** Largest amount a person types here: ¥100,000,000.00, far above any single card payment. */
export const AMOUNT_FEN_MAX = 10_000_000_000;

/**
 * Yuan as typed ("1288", "1,288.5", "¥12.30") to integer fen, or undefined when it is not an
 * amount with at most two decimals. Parsed as text, so that no fen is lost to floating point.
 */
export function yuanToFen(typed: string): number | undefined {
  const cleaned = typed
    .trim()
    .replace(/^[¥￥]/, '')
    .replace(/,/g, '')
    .trim();
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (match === null) return undefined;
  const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return fen > AMOUNT_FEN_MAX ? undefined : fen;
}

/** Fen as the yuan a form starts with: 128800 → "1288.00". */
export function fenToYuanText(amountFen: number): string {
  return `${Math.floor(amountFen / 100)}.${String(amountFen % 100).padStart(2, '0')}`;
}

/** Still to be worked: open or in progress. */
export function isActive(remediation: Pick<Remediation, 'status'>): boolean {
  return remediation.status === 'open' || remediation.status === 'in_progress';
}

/**
 * An active remediation nobody owns or with no date to be done by: the incident cannot be
 * resolved while one exists (409 `remediation_unassigned`). The server's own flag wins.
 */
export function isUnassigned(
  remediation: Pick<Remediation, 'status' | 'owner' | 'dueDate' | 'unassigned'>,
): boolean {
  if (remediation.unassigned !== undefined) return remediation.unassigned;
  return (
    isActive(remediation) &&
    (remediation.owner === null || remediation.owner === undefined || remediation.dueDate === null)
  );
}

/** Past its due date (a YYYY-MM-DD in China) and still active, given today's date there. */
export function isOverdue(
  remediation: Pick<Remediation, 'status' | 'dueDate' | 'overdue'>,
  today: string,
): boolean {
  if (remediation.overdue !== undefined) return remediation.overdue;
  return isActive(remediation) && remediation.dueDate !== null && remediation.dueDate < today;
}

/** Today's date in China (the acquirer's calendar), YYYY-MM-DD, for due dates. */
export function chinaToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Count and amount per kind, from the server's totals when readable, else from the items. */
export function totalsByKind(affected: AffectedTransactions): Record<AffectedKind, AffectedTotal> {
  const result = {} as Record<AffectedKind, AffectedTotal>;
  for (const kind of AFFECTED_KINDS) {
    const items = affected.items.filter((item) => item.kind === kind);
    result[kind] = {
      count: items.length,
      amountFen: items.reduce((sum, item) => sum + item.amountFen, 0),
    };
    const given: unknown = affected.totals?.[kind];
    if (isTotal(given)) result[kind] = given;
  }
  return result;
}

function isTotal(value: unknown): value is AffectedTotal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AffectedTotal).count === 'number' &&
    typeof (value as AffectedTotal).amountFen === 'number'
  );
}

/**
 * The actions that apply to a kind of affected payment, the usual one first (the server's table
 * is ACTIONS_BY_KIND in src/core/remediation/remediation.ts).
 */
export function actionsFor(kind: AffectedKind): RemediationAction[] {
  switch (kind) {
    case 'settled_to_wrong_account':
      return ['resettle', 'refund', 'recover', 'retransaction'];
    case 'payout_returned':
      return ['resettle'];
    case 'customer_saw_failure':
      return ['retransaction'];
  }
}

/** Why an action cannot be arranged on a payment now, as the server would refuse it. */
export type Unavailable = 'exists' | 'conflict';

/** Re-settling pays the merchant: a refund or a second payment would pay for the sale twice. */
const CONFLICTS: readonly (readonly [RemediationAction, RemediationAction])[] = [
  ['resettle', 'refund'],
  ['resettle', 'retransaction'],
];

/**
 * Whether `action` may be arranged on a payment that already has `existing` remediations:
 * undefined when it may, else why not, so that the form greys it out and says why. The server
 * decides (decideNewRemediation); this only spares a refusal.
 */
export function unavailableReason(
  action: RemediationAction,
  existing: readonly { action: RemediationAction; status: string }[],
): Unavailable | undefined {
  const standing = existing.filter((item) => item.status !== 'cancelled');
  if (standing.some((item) => item.action === action)) return 'exists';
  const excluded = CONFLICTS.flatMap(([a, b]) => (a === action ? [b] : b === action ? [a] : []));
  if (standing.some((item) => excluded.includes(item.action))) return 'conflict';
  // A recovery may come first: it then claims the payment itself, nothing being advanced yet.
  return undefined;
}

/** The remediations already recorded for an affected payment (one, several or none). */
export function remediationsOf(item: AffectedTransaction) {
  if (item.remediations !== undefined && item.remediations.length > 0) return item.remediations;
  return item.remediation === null ? [] : [item.remediation];
}

/** A stable key for an affected payment: the same line may also list its transaction. */
export function affectedKey(item: AffectedTransaction): string {
  return `${item.kind}:${item.transactionId ?? ''}:${item.lineId ?? ''}`;
}

/** Rows shown at once in a remediation table; an incident may list up to a thousand per kind. */
export const TABLE_PAGE_SIZE = 50;

/** No pager for a short table; pages of TABLE_PAGE_SIZE for a long one. */
export function pagerFor(rows: number): false | { pageSize: number; showSizeChanger: false } {
  return rows > TABLE_PAGE_SIZE ? { pageSize: TABLE_PAGE_SIZE, showSizeChanger: false } : false;
}
