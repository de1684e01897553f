import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { merchantScope, type Principal } from '../../core/roles.js';
import { decodeTimeCursor, pageLimit, timePage } from '../pagination.js';

interface AlertRow {
  id: string;
  rule: string;
  severity: string;
  merchant_no: string;
  terminal_id: string | null;
  transaction_id: string | null;
  incident_id: string | null;
  decision: string;
  explanation: { zh: string; en: string; data: Record<string, unknown> };
  created_at: Date;
  drill: boolean;
}

function present(row: AlertRow) {
  return {
    id: row.id,
    rule: row.rule,
    severity: row.severity,
    merchantNo: row.merchant_no,
    terminalId: row.terminal_id,
    transactionId: row.transaction_id,
    incidentId: row.incident_id,
    decision: row.decision,
    explanation: row.explanation,
    createdAt: row.created_at.toISOString(),
    drill: row.drill,
  };
}

export type AlertView = ReturnType<typeof present>;

/**
 * Alerts newest first, within the caller's merchant scope. Alerts a drill made up are left out
 * unless asked for (`drill: 'true'` only drills, `'all'` both); an incident's own alerts are all
 * shown, drill or not. Merchant users never see drill alerts.
 */
export async function listAlerts(
  ctx: AppContext,
  principal: Principal,
  query: {
    merchantNo?: string | undefined;
    rule?: string | undefined;
    severity?: string | undefined;
    incidentId?: string | undefined;
    since?: string | undefined;
    drill?: 'true' | 'false' | 'all' | undefined;
    limit?: number | undefined;
    cursor?: string | undefined;
  },
): Promise<{ items: AlertView[]; nextCursor?: string }> {
  authorise(principal, 'alerts.read');
  if (principal.role === 'merchant' && query.drill === 'true') return { items: [] };
  const drill =
    principal.role === 'merchant'
      ? 'false'
      : (query.drill ?? (query.incidentId !== undefined ? 'all' : 'false'));
  const limit = pageLimit(query.limit);
  const after = decodeTimeCursor(query.cursor);
  const { rows } = await ctx.db.query<AlertRow>(
    `SELECT id, rule, severity, merchant_no, terminal_id, transaction_id, incident_id, decision,
            explanation, created_at, drill FROM alerts
      WHERE ($1::text IS NULL OR merchant_no = $1) AND ($2::text IS NULL OR rule = $2)
        AND ($3::text IS NULL OR severity = $3) AND ($4::uuid IS NULL OR incident_id = $4)
        AND ($5::timestamptz IS NULL OR created_at >= $5)
        AND ($6::text[] IS NULL OR merchant_no = ANY($6))
        AND ($7::timestamptz IS NULL OR (created_at, id::text) < ($7, $8))
        AND ($10::text = 'all' OR drill = ($10::text = 'true'))
      ORDER BY created_at DESC, id::text DESC LIMIT $9`,
    [
      query.merchantNo ?? null,
      query.rule ?? null,
      query.severity ?? null,
      query.incidentId ?? null,
      query.since ?? null,
      merchantScope(principal),
      after?.at ?? null,
      after?.id ?? '',
      limit + 1,
      drill,
    ],
  );
  return timePage(rows, limit, (row) => ({ at: row.created_at, id: row.id }), present);
}
