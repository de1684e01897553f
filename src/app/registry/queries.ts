/**
 * Reads of the registry, scoped to what the principal may see: a merchant user asking for
 * another merchant's data gets `not_found`.
 */
import type { AppContext } from '../context.js';
import { authorise, ensureInScope } from '../context.js';
import { DomainError } from '../../core/errors.js';
import { decodeKeyCursor, keyPage, pageLimit } from '../pagination.js';
import { merchantScope, type Principal } from '../../core/roles.js';
import {
  accountHistory,
  currentAccount,
  findMerchant,
  findTerminal,
  listMerchants as listMerchantRows,
  listTerminals as listTerminalRows,
  terminalsOfMerchant,
} from '../../storage/registry-repository.js';
import {
  presentAccount,
  presentMerchantIdentity,
  presentTerminal,
  type PresentedAccount,
  type PresentedTerminal,
} from './present.js';

const SEARCH_LENGTH_MAX = 100;

export type MerchantView = ReturnType<typeof presentMerchantIdentity> & {
  settlementAccount: PresentedAccount | null;
  terminals: (PresentedTerminal & { suspendedByIncidentId: string | null })[];
  openIncidentId: string | null;
  settlementHold: {
    reason: string;
    rules: string[];
    since: string;
    incidentId: string | null;
  } | null;
};

export async function getMerchant(
  ctx: AppContext,
  principal: Principal,
  merchantNo: string,
): Promise<MerchantView> {
  authorise(principal, 'merchants.read');
  ensureInScope(principal, merchantNo, 'Merchant');
  const row = await findMerchant(ctx.db, merchantNo);
  if (!row) throw new DomainError('not_found', 'Merchant not found');
  const [account, terminals, incident, hold] = await Promise.all([
    currentAccount(ctx.db, merchantNo),
    terminalsOfMerchant(ctx.db, merchantNo),
    ctx.db.query<{ id: string }>(
      `SELECT id FROM incidents WHERE merchant_no = $1 AND NOT drill
          AND status NOT IN ('resolved', 'closed') LIMIT 1`,
      [merchantNo],
    ),
    ctx.db.query<{ reason: string; rules: string[]; placed_at: Date; incident_id: string | null }>(
      `SELECT reason, rules, placed_at, incident_id FROM settlement_holds
        WHERE merchant_no = $1 AND released_at IS NULL LIMIT 1`,
      [merchantNo],
    ),
  ]);
  const heldRow = hold.rows[0];
  const suspendedBy = await incidentsHoldingTerminals(
    ctx,
    terminals.filter((t) => t.status === 'suspended').map((t) => t.terminal_id),
  );
  return {
    ...presentMerchantIdentity(row),
    settlementAccount: account ? presentAccount(account) : null,
    terminals: terminals.map((t) => ({
      ...presentTerminal(t),
      suspendedByIncidentId: suspendedBy.get(t.terminal_id) ?? null,
    })),
    openIncidentId: incident.rows[0]?.id ?? null,
    settlementHold: heldRow
      ? {
          reason: heldRow.reason,
          rules: heldRow.rules,
          since: heldRow.placed_at.toISOString(),
          incidentId: heldRow.incident_id,
        }
      : null,
  };
}

/** For suspended terminals, the open incident whose containment suspended each. */
async function incidentsHoldingTerminals(
  ctx: AppContext,
  terminalIds: string[],
): Promise<Map<string, string>> {
  if (terminalIds.length === 0) return new Map();
  const { rows } = await ctx.db.query<{ terminal_id: string; incident_id: string }>(
    `SELECT t.terminal_id, t.incident_id FROM incident_terminals t
       JOIN incidents i ON i.id = t.incident_id
      WHERE t.terminal_id = ANY($1) AND i.status NOT IN ('resolved', 'closed')
      ORDER BY t.suspended_at`,
    [terminalIds],
  );
  return new Map(rows.map((r) => [r.terminal_id, r.incident_id]));
}

export async function listSettlementAccounts(
  ctx: AppContext,
  principal: Principal,
  merchantNo: string,
): Promise<PresentedAccount[]> {
  authorise(principal, 'merchants.read');
  ensureInScope(principal, merchantNo, 'Merchant');
  if (!(await findMerchant(ctx.db, merchantNo))) {
    throw new DomainError('not_found', 'Merchant not found');
  }
  return (await accountHistory(ctx.db, merchantNo)).map(presentAccount);
}

export interface ListQuery {
  q?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

function pageArgs(query: ListQuery): {
  search: string | null;
  limit: number;
  after: string | null;
} {
  const search = query.q?.trim().slice(0, SEARCH_LENGTH_MAX) || null;
  return { search, limit: pageLimit(query.limit), after: decodeKeyCursor(query.cursor) };
}

export async function listMerchants(
  ctx: AppContext,
  principal: Principal,
  query: ListQuery & { type?: string | undefined; status?: string | undefined },
) {
  authorise(principal, 'merchants.read');
  const { search, limit, after } = pageArgs(query);
  const rows = await listMerchantRows(ctx.db, {
    search,
    type: query.type ?? null,
    status: query.status ?? null,
    scope: merchantScope(principal),
    after,
    limit: limit + 1,
  });
  return keyPage(
    rows,
    limit,
    (row) => row.merchant_no,
    (row) => ({
      merchantNo: row.merchant_no,
      name: row.name,
      type: row.type,
      status: row.status,
      legalPersonName: row.legal_person_name,
      accountStatus: row.account_status,
      nameCheckResult: row.name_check_result,
      terminalCount: row.terminal_count,
      createdAt: row.valid_from.toISOString(),
    }),
  );
}

export async function getTerminal(
  ctx: AppContext,
  principal: Principal,
  terminalId: string,
): Promise<PresentedTerminal> {
  authorise(principal, 'terminals.read');
  const row = await findTerminal(ctx.db, terminalId.toUpperCase());
  if (!row) throw new DomainError('not_found', 'Terminal not found');
  ensureInScope(principal, row.merchant_no, 'Terminal');
  return presentTerminal(row);
}

export async function listTerminals(
  ctx: AppContext,
  principal: Principal,
  query: ListQuery & { merchantNo?: string | undefined; status?: string | undefined },
) {
  authorise(principal, 'terminals.read');
  const { search, limit, after } = pageArgs(query);
  const rows = await listTerminalRows(ctx.db, {
    search,
    merchantNo: query.merchantNo ?? null,
    status: query.status ?? null,
    scope: merchantScope(principal),
    after,
    limit: limit + 1,
  });
  return keyPage(
    rows,
    limit,
    (row) => row.terminal_id,
    (row) => ({ ...presentTerminal(row), merchantName: row.merchant_name }),
  );
}
