/** Reads of incidents: the list and one incident with its alerts, containment and timeline. */
import type { AppContext } from '../context.js';
import { authorise, ensureInScope } from '../context.js';
import { DomainError } from '../../core/errors.js';
import { merchantScope, type Principal } from '../../core/roles.js';
import { decodeTimeCursor, pageLimit, timePage } from '../pagination.js';
import { listAlerts } from '../alerts/list-alerts.js';

interface IncidentRow {
  id: string;
  merchant_no: string;
  merchant_name: string | null;
  status: string;
  severity: string;
  title: { zh: string; en: string };
  related_merchant_nos: string[];
  drill: boolean;
  opened_at: Date;
  updated_at: Date;
  alert_count: number;
  terminals_suspended: string[];
  hold_reason: string | null;
  hold_rules: string[] | null;
}

const SELECT = `
  SELECT i.id, i.merchant_no, m.name AS merchant_name, i.status, i.severity, i.title,
         i.related_merchant_nos, i.drill, i.opened_at, i.updated_at,
         (SELECT count(*)::int FROM alerts a WHERE a.incident_id = i.id) AS alert_count,
         ARRAY(SELECT t.terminal_id FROM incident_terminals t WHERE t.incident_id = i.id
               ORDER BY t.terminal_id) AS terminals_suspended,
         (SELECT h.reason FROM settlement_holds h
           WHERE h.incident_id = i.id AND h.released_at IS NULL LIMIT 1) AS hold_reason,
         (SELECT h.rules FROM settlement_holds h
           WHERE h.incident_id = i.id AND h.released_at IS NULL LIMIT 1) AS hold_rules
    FROM incidents i
    LEFT JOIN merchants m ON m.merchant_no = i.merchant_no AND m.valid_to IS NULL`;

function present(row: IncidentRow) {
  return {
    id: row.id,
    status: row.status,
    severity: row.severity,
    merchantNo: row.merchant_no,
    merchantName: row.merchant_name,
    title: row.title,
    drill: row.drill,
    openedAt: row.opened_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    alertCount: row.alert_count,
    relatedMerchantNos: row.related_merchant_nos,
    containment: {
      terminalsSuspended: row.terminals_suspended,
      settlementHeld: row.hold_reason !== null,
      holdReason: row.hold_reason,
      holdRules: row.hold_rules ?? [],
    },
  };
}

export async function listIncidents(
  ctx: AppContext,
  principal: Principal,
  query: {
    merchantNo?: string | undefined;
    status?: string | undefined;
    limit?: number | undefined;
    cursor?: string | undefined;
  },
) {
  authorise(principal, 'incidents.read');
  const limit = pageLimit(query.limit);
  const after = decodeTimeCursor(query.cursor);
  const { rows } = await ctx.db.query<IncidentRow>(
    `${SELECT}
      WHERE ($1::text IS NULL OR i.merchant_no = $1)
        AND ($2::text IS NULL OR i.status = $2)
        AND ($3::text[] IS NULL OR i.merchant_no = ANY($3))
        AND ($4::timestamptz IS NULL OR (i.opened_at, i.id::text) < ($4, $5))
      ORDER BY i.opened_at DESC, i.id::text DESC
      LIMIT $6`,
    [
      query.merchantNo ?? null,
      query.status ?? null,
      merchantScope(principal),
      after?.at ?? null,
      after?.id ?? '',
      limit + 1,
    ],
  );
  return timePage(rows, limit, (row) => ({ at: row.opened_at, id: row.id }), present);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getIncident(ctx: AppContext, principal: Principal, id: string) {
  authorise(principal, 'incidents.read');
  if (!UUID.test(id)) throw new DomainError('not_found', 'Incident not found');
  const { rows } = await ctx.db.query<IncidentRow>(`${SELECT} WHERE i.id = $1`, [id]);
  const row = rows[0];
  if (!row) throw new DomainError('not_found', 'Incident not found');
  ensureInScope(principal, row.merchant_no, 'Incident');
  const [alerts, events] = await Promise.all([
    listAlerts(ctx, principal, { incidentId: id, limit: 500 }),
    ctx.db.query<{ at: Date; kind: string; actor: string; text: { zh: string; en: string } }>(
      'SELECT at, kind, actor, text FROM incident_events WHERE incident_id = $1 ORDER BY id LIMIT 1000',
      [id],
    ),
  ]);
  return {
    ...present(row),
    alerts: alerts.items,
    timeline: events.rows.map((e) => ({
      at: e.at.toISOString(),
      kind: e.kind,
      actor: e.actor,
      text: e.text,
    })),
  };
}
