import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { merchantScope, type Principal } from '../../core/roles.js';
import { LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX } from '../registry/queries.js';

interface AlertRow {
  id: string;
  rule: string;
  severity: string;
  merchant_no: string;
  terminal_id: string | null;
  explanation: { zh: string; en: string; data: Record<string, unknown> };
  created_at: Date;
}

/** Alerts newest first, within the caller's merchant scope. */
export async function listAlerts(
  ctx: AppContext,
  principal: Principal,
  query: { merchantNo?: string | undefined; rule?: string | undefined; limit?: number | undefined },
) {
  authorise(principal, 'alerts.read');
  const limit = Math.min(query.limit ?? LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX);
  const { rows } = await ctx.db.query<AlertRow>(
    `SELECT id, rule, severity, merchant_no, terminal_id, explanation, created_at FROM alerts
      WHERE ($1::text IS NULL OR merchant_no = $1) AND ($2::text IS NULL OR rule = $2)
        AND ($3::text[] IS NULL OR merchant_no = ANY($3))
      ORDER BY created_at DESC, id LIMIT $4`,
    [query.merchantNo ?? null, query.rule ?? null, merchantScope(principal), limit],
  );
  return rows.map((row) => ({
    id: row.id,
    rule: row.rule,
    severity: row.severity,
    merchantNo: row.merchant_no,
    terminalId: row.terminal_id,
    explanation: row.explanation,
    createdAt: row.created_at.toISOString(),
  }));
}
