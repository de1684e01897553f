import type { AppContext } from '../context.js';
import { authorise, ensureInScope } from '../context.js';
import { DomainError } from '../../core/errors.js';
import { merchantScope, type Principal } from '../../core/roles.js';
import { decodeTimeCursor, pageLimit, timePage } from '../pagination.js';

/** A stored transaction as read back (masked card only); evidence snapshots read it too. */
export interface TransactionRow {
  id: string;
  terminal_id: string;
  merchant_no: string;
  type: string;
  status: string;
  amount_fen: number;
  currency: string;
  occurred_at: Date;
  received_at: Date;
  pan_masked: string | null;
  merchant_name_on_receipt: string | null;
  rrn: string | null;
  stan: string | null;
  auth_code: string | null;
  response_code: string | null;
  source: string;
  decision: string;
  alerts: string[];
}

export const TRANSACTION_COLUMNS = `id, terminal_id, merchant_no, type, status, amount_fen, currency, occurred_at,
  received_at, pan_masked, merchant_name_on_receipt, rrn, stan, auth_code, response_code, source,
  decision, alerts`;

function present(row: TransactionRow) {
  return {
    id: row.id,
    terminalId: row.terminal_id,
    merchantNo: row.merchant_no,
    type: row.type,
    status: row.status,
    amountFen: row.amount_fen,
    currency: row.currency,
    occurredAt: row.occurred_at.toISOString(),
    receivedAt: row.received_at.toISOString(),
    panMasked: row.pan_masked,
    merchantNameOnReceipt: row.merchant_name_on_receipt,
    rrn: row.rrn,
    stan: row.stan,
    authCode: row.auth_code,
    responseCode: row.response_code,
    source: row.source,
    decision: row.decision,
    alerts: row.alerts,
  };
}

export type TransactionView = ReturnType<typeof present>;

export async function getTransaction(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<TransactionView> {
  authorise(principal, 'transactions.read');
  const { rows } = await ctx.db.query<TransactionRow>(
    `SELECT ${TRANSACTION_COLUMNS} FROM transactions WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) throw new DomainError('not_found', 'Transaction not found');
  ensureInScope(principal, row.merchant_no, 'Transaction');
  return present(row);
}

export async function listTransactions(
  ctx: AppContext,
  principal: Principal,
  query: {
    merchantNo?: string | undefined;
    terminalId?: string | undefined;
    decision?: string | undefined;
    limit?: number | undefined;
    cursor?: string | undefined;
  },
) {
  authorise(principal, 'transactions.read');
  const limit = pageLimit(query.limit);
  const after = decodeTimeCursor(query.cursor);
  const { rows } = await ctx.db.query<TransactionRow>(
    `SELECT ${TRANSACTION_COLUMNS} FROM transactions
      WHERE ($1::text IS NULL OR merchant_no = $1)
        AND ($2::text IS NULL OR terminal_id = $2)
        AND ($3::text IS NULL OR decision = $3)
        AND ($4::text[] IS NULL OR merchant_no = ANY($4))
        AND ($5::timestamptz IS NULL OR (received_at, id) < ($5, $6))
      ORDER BY received_at DESC, id DESC
      LIMIT $7`,
    [
      query.merchantNo ?? null,
      query.terminalId?.toUpperCase() ?? null,
      query.decision ?? null,
      merchantScope(principal),
      after?.at ?? null,
      after?.id ?? '',
      limit + 1,
    ],
  );
  return timePage(rows, limit, (row) => ({ at: row.received_at, id: row.id }), present);
}
