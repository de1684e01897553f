/**
 * Reads of incidents: the queue (with its filters) and one incident with its alerts,
 * containment, timeline, root cause, post-mortem and the moves the caller may make.
 *
 * Drills stay out of the real queue: the list shows real incidents unless `drill=true` (drills
 * only) or `drill=all` is asked for. Merchant users never see drills, not even asked: a drill
 * is the acquirer's training, run on a real merchant that knows nothing of it.
 */
import { unassignedRemediations } from '../remediation/remediations.js';
import type { AppContext } from '../context.js';
import { authorise, ensureInScope } from '../context.js';
import { DomainError } from '../../core/errors.js';
import { merchantScope, type Principal } from '../../core/roles.js';
import {
  ACK_TIMEOUT_SECONDS,
  allowedTransitions,
  INCIDENT_SEVERITIES,
  type IncidentSeverity,
  type IncidentStatus,
} from '../../core/incidents/lifecycle.js';
import type { Queryable } from '../../storage/database.js';
import { decodeTimeCursor, pageLimit, timePage } from '../pagination.js';
import { listAlerts } from '../alerts/list-alerts.js';

export interface IncidentRow {
  id: string;
  merchant_no: string;
  merchant_name: string | null;
  status: IncidentStatus;
  severity: IncidentSeverity;
  title: { zh: string; en: string };
  related_merchant_nos: string[];
  drill: boolean;
  scenario: string | null;
  opened_at: Date;
  updated_at: Date;
  assignee: string | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  contained_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  root_cause: RootCause | null;
  post_mortem: PostMortem | null;
  held_money_plan: string | null;
  /** When acknowledgement falls due: the incident's escalation policy, else the default. */
  ack_due_at: Date;
  alert_count: number;
  terminals_suspended: string[];
  hold_reason: string | null;
  hold_rules: string[] | null;
}

export interface RootCause {
  category: string;
  detail: string;
  operator?: string;
  recordedBy: string;
  recordedAt: string;
}

export interface PostMortem {
  summary: string;
  lessons: string[];
  recordedBy: string;
  recordedAt: string;
}

/**
 * The acknowledgement deadline in SQL: the first level's time of the escalation policy the
 * incident was opened under (its copy in `escalations`), else the severity's default.
 */
export function ackDueSql(alias: string): string {
  return `(${alias}.opened_at + COALESCE(
    (SELECT (e.policy->'levels'->0->>'ackTimeoutSeconds')::int FROM escalations e
      WHERE e.incident_id = ${alias}.id),
    CASE ${alias}.severity ${INCIDENT_SEVERITIES.map(
      (s) => `WHEN '${s}' THEN ${String(ACK_TIMEOUT_SECONDS[s])}`,
    ).join(' ')} END) * interval '1 second')`;
}
const ACK_DUE_SQL = ackDueSql('i');

const SELECT = `
  SELECT i.id, i.merchant_no, m.name AS merchant_name, i.status, i.severity, i.title,
         i.related_merchant_nos, i.drill, i.scenario, i.opened_at, i.updated_at, i.assignee,
         i.acknowledged_at, i.acknowledged_by, i.contained_at, i.resolved_at, i.closed_at,
         i.root_cause, i.post_mortem, i.held_money_plan, ${ACK_DUE_SQL} AS ack_due_at,
         (SELECT count(*)::int FROM alerts a WHERE a.incident_id = i.id) AS alert_count,
         ARRAY(SELECT t.terminal_id FROM incident_terminals t WHERE t.incident_id = i.id
               ORDER BY t.terminal_id) AS terminals_suspended,
         (SELECT h.reason FROM settlement_holds h
           WHERE h.incident_id = i.id AND h.released_at IS NULL LIMIT 1) AS hold_reason,
         (SELECT h.rules FROM settlement_holds h
           WHERE h.incident_id = i.id AND h.released_at IS NULL LIMIT 1) AS hold_rules
    FROM incidents i
    LEFT JOIN merchants m ON m.merchant_no = i.merchant_no AND m.valid_to IS NULL`;

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/**
 * What a merchant user does not see of its own incident: who at the acquirer was told, paged,
 * assigned or blamed, the staff's notes, the analysis, and the other merchants involved. It
 * sees what happened to its terminals and money, and where the incident stands.
 */
const INTERNAL_TIMELINE_KINDS = new Set([
  'notification_sent',
  'notification_failed',
  'notification_skipped',
  'escalated',
  'escalation_stopped',
  'comment',
  'assigned',
  'root_cause',
  'post_mortem',
  'severity_changed',
  'case_file_sent',
  // Who the acquirer called or wrote to about the incident (the contact log).
  'contact_logged',
]);
/** How staff appear to a merchant user in its incident's timeline. */
export const ACQUIRER_ACTOR = 'acquirer';

function isMerchantViewer(principal: Principal | undefined): boolean {
  return principal?.role === 'merchant';
}

export function presentIncident(row: IncidentRow, now: Date, viewer?: Principal) {
  const merchantView = isMerchantViewer(viewer);
  return {
    id: row.id,
    status: row.status,
    severity: row.severity,
    merchantNo: row.merchant_no,
    merchantName: row.merchant_name,
    title: row.title,
    drill: row.drill,
    scenario: row.scenario,
    openedAt: row.opened_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    assignee: merchantView ? null : row.assignee,
    acknowledgedAt: iso(row.acknowledged_at),
    acknowledgedBy: merchantView ? null : row.acknowledged_by,
    containedAt: iso(row.contained_at),
    resolvedAt: iso(row.resolved_at),
    closedAt: iso(row.closed_at),
    ackDueAt: row.ack_due_at.toISOString(),
    ackOverdue:
      row.status === 'open' &&
      row.acknowledged_at === null &&
      now.getTime() > row.ack_due_at.getTime(),
    alertCount: row.alert_count,
    relatedMerchantNos: merchantView ? [] : row.related_merchant_nos,
    containment: {
      terminalsSuspended: row.terminals_suspended,
      settlementHeld: row.hold_reason !== null,
      holdReason: row.hold_reason,
      holdRules: row.hold_rules ?? [],
    },
  };
}

export type DrillFilter = 'true' | 'false' | 'all';

export interface IncidentListQuery {
  merchantNo?: string | undefined;
  status?: string | undefined;
  /** Only incidents still being worked (not resolved or closed). */
  active?: boolean | undefined;
  severity?: string | undefined;
  assignee?: string | undefined;
  openedBefore?: string | undefined;
  openedAfter?: string | undefined;
  drill?: DrillFilter | undefined;
  ackOverdue?: boolean | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export async function listIncidents(
  ctx: AppContext,
  principal: Principal,
  query: IncidentListQuery,
) {
  authorise(principal, 'incidents.read');
  const limit = pageLimit(query.limit);
  const after = decodeTimeCursor(query.cursor);
  // Merchant users never see drills: asking for drills only answers nothing.
  if (principal.role === 'merchant' && query.drill === 'true') return { items: [] };
  const drill = principal.role === 'merchant' ? 'false' : (query.drill ?? 'false');
  const now = ctx.now();
  const { rows } = await ctx.db.query<IncidentRow>(
    `${SELECT}
      WHERE ($1::text IS NULL OR i.merchant_no = $1)
        AND ($2::text IS NULL OR i.status = $2)
        AND ($3::text[] IS NULL OR i.merchant_no = ANY($3))
        AND ($4::timestamptz IS NULL OR (i.opened_at, i.id::text) < ($4, $5))
        AND ($7::text IS NULL OR i.severity = $7)
        AND ($8::text IS NULL OR i.assignee = $8)
        AND ($9::timestamptz IS NULL OR i.opened_at < $9)
        AND ($10::timestamptz IS NULL OR i.opened_at >= $10)
        AND ($11::text = 'all' OR i.drill = ($11::text = 'true'))
        AND (NOT $12::boolean OR (i.status = 'open' AND i.acknowledged_at IS NULL
                                  AND ${ACK_DUE_SQL} < $13))
        AND (NOT $14::boolean OR i.status NOT IN ('resolved', 'closed'))
      ORDER BY i.opened_at DESC, i.id::text DESC
      LIMIT $6`,
    [
      query.merchantNo ?? null,
      query.status ?? null,
      merchantScope(principal),
      after?.at ?? null,
      after?.id ?? '',
      limit + 1,
      query.severity ?? null,
      query.assignee ?? null,
      query.openedBefore ?? null,
      query.openedAfter ?? null,
      drill,
      query.ackOverdue === true,
      now,
      query.active === true,
    ],
  );
  return timePage(
    rows,
    limit,
    (row) => ({ at: row.opened_at, id: row.id }),
    (row) => presentIncident(row, now, principal),
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isIncidentId(id: string): boolean {
  return UUID.test(id);
}

export interface HeldMoney {
  holdActive: boolean;
  amountFen: number;
  lineCount: number;
}

/**
 * The merchant's money still held: an active hold, and held or returned lines not released.
 * Resolving an incident while any of it remains needs a plan (core/incidents/lifecycle.ts).
 */
export async function heldMoneyOf(db: Queryable, merchantNo: string): Promise<HeldMoney> {
  const { rows } = await db.query<{ hold_active: boolean; amount_fen: number; line_count: number }>(
    `SELECT EXISTS (SELECT 1 FROM settlement_holds
                     WHERE merchant_no = $1 AND released_at IS NULL) AS hold_active,
            COALESCE(sum(amount_fen), 0)::bigint AS amount_fen, count(*)::int AS line_count
       FROM settlement_lines
      WHERE merchant_no = $1 AND status IN ('held', 'returned') AND release_id IS NULL`,
    [merchantNo],
  );
  const row = rows[0];
  return {
    holdActive: row?.hold_active ?? false,
    amountFen: row?.amount_fen ?? 0,
    lineCount: row?.line_count ?? 0,
  };
}

export function moneyIsHeld(held: HeldMoney): boolean {
  return held.holdActive || held.lineCount > 0;
}

/** Another real incident of the merchant still being worked (reopening would make two). */
export async function otherOpenIncident(
  db: Queryable,
  incident: { id: string; merchantNo: string; drill: boolean },
): Promise<string | null> {
  if (incident.drill) return null;
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM incidents
      WHERE merchant_no = $1 AND id <> $2 AND status NOT IN ('resolved', 'closed') AND NOT drill
      LIMIT 1`,
    [incident.merchantNo, incident.id],
  );
  return rows[0]?.id ?? null;
}

async function incidentRow(db: Queryable, principal: Principal, id: string): Promise<IncidentRow> {
  if (!isIncidentId(id)) throw new DomainError('not_found', 'Incident not found');
  const { rows } = await db.query<IncidentRow>(`${SELECT} WHERE i.id = $1`, [id]);
  const row = rows[0];
  if (!row) throw new DomainError('not_found', 'Incident not found');
  ensureInScope(principal, row.merchant_no, 'Incident');
  if (row.drill && principal.role === 'merchant') {
    throw new DomainError('not_found', 'Incident not found');
  }
  return row;
}

export async function getIncident(ctx: AppContext, principal: Principal, id: string) {
  authorise(principal, 'incidents.read');
  const row = await incidentRow(ctx.db, principal, id);
  const merchantView = isMerchantViewer(principal);
  const [alerts, events, held, other, unassigned] = await Promise.all([
    listAlerts(ctx, principal, { incidentId: id, limit: 500, drill: 'all' }),
    ctx.db.query<{ at: Date; kind: string; actor: string; text: { zh: string; en: string } }>(
      'SELECT at, kind, actor, text FROM incident_events WHERE incident_id = $1 ORDER BY id LIMIT 1000',
      [id],
    ),
    heldMoneyOf(ctx.db, row.merchant_no),
    otherOpenIncident(ctx.db, { id: row.id, merchantNo: row.merchant_no, drill: row.drill }),
    unassignedRemediations(ctx.db, row.id),
  ]);
  return {
    ...presentIncident(row, ctx.now(), principal),
    rootCause: merchantView ? null : row.root_cause,
    postMortem: merchantView ? null : row.post_mortem,
    heldMoneyPlan: merchantView ? null : row.held_money_plan,
    heldMoney: held,
    allowedTransitions: allowedTransitions(row.status, principal.role, {
      hasRootCause: row.root_cause !== null,
      postMortemLessons: row.post_mortem?.lessons.length ?? 0,
      moneyHeld: moneyIsHeld(held),
      otherOpenIncident: other !== null,
      unassignedRemediations: unassigned > 0,
    }),
    alerts: alerts.items,
    timeline: events.rows
      .filter((e) => !merchantView || !INTERNAL_TIMELINE_KINDS.has(e.kind))
      .map((e) => {
        const hidden = merchantView && e.actor !== principal.username;
        return {
          at: e.at.toISOString(),
          kind: e.kind,
          actor: hidden ? ACQUIRER_ACTOR : e.actor,
          // The staff member is named in the text too ("rita 已确认事件"): the acquirer instead.
          text: hidden
            ? {
                zh: e.text.zh.replaceAll(e.actor, '收单机构'),
                en: e.text.en.replaceAll(e.actor, 'the acquirer'),
              }
            : e.text,
        };
      }),
  };
}

export type IncidentView = Awaited<ReturnType<typeof getIncident>>;
