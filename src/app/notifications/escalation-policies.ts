/**
 * Escalation policies: reading the one in force for a severity (the admin's, or the default of
 * the core), and setting one. Setting checks the shape in the core and every notify entry
 * against the database: a username of an active user, an active webhook endpoint's id, a
 * `role:` entry, or else a plain e-mail address. Audited.
 */
import type { Queryable } from '../../storage/database.js';
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { DomainError, issue, type FieldIssue } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import {
  DEFAULT_ESCALATION_POLICIES,
  INCIDENT_SEVERITIES,
  isRoleEntry,
  isSeverity,
  policyShapeIssues,
  type EscalationPolicy,
  type IncidentSeverity,
} from '../../core/notifications/escalation.js';
import { normaliseEmail } from '../../core/notifications/addresses.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PolicyView extends EscalationPolicy {
  severity: IncidentSeverity;
  /** True when nobody has set this severity's policy: the default applies. */
  isDefault: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
}

interface PolicyRow {
  severity: IncidentSeverity;
  levels: EscalationPolicy['levels'];
  repeat: number;
  updated_by: string;
  updated_at: Date;
}

/** The policy in force for a severity. */
export async function effectivePolicy(
  q: Queryable,
  severity: IncidentSeverity,
): Promise<EscalationPolicy> {
  const { rows } = await q.query<PolicyRow>(
    'SELECT severity, levels, repeat, updated_by, updated_at FROM escalation_policies WHERE severity = $1',
    [severity],
  );
  const row = rows[0];
  return row ? { levels: row.levels, repeat: row.repeat } : DEFAULT_ESCALATION_POLICIES[severity];
}

function view(severity: IncidentSeverity, row: PolicyRow | undefined): PolicyView {
  if (!row) {
    return {
      severity,
      ...DEFAULT_ESCALATION_POLICIES[severity],
      isDefault: true,
      updatedBy: null,
      updatedAt: null,
    };
  }
  return {
    severity,
    levels: row.levels,
    repeat: row.repeat,
    isDefault: false,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function listEscalationPolicies(
  ctx: AppContext,
  principal: Principal,
): Promise<{ items: PolicyView[] }> {
  authorise(principal, 'escalation.read');
  const { rows } = await ctx.db.query<PolicyRow>(
    'SELECT severity, levels, repeat, updated_by, updated_at FROM escalation_policies',
  );
  const bySeverity = new Map(rows.map((r) => [r.severity, r]));
  return { items: INCIDENT_SEVERITIES.map((s) => view(s, bySeverity.get(s))) };
}

export async function getEscalationPolicy(
  ctx: AppContext,
  principal: Principal,
  severity: string,
): Promise<PolicyView> {
  authorise(principal, 'escalation.read');
  if (!isSeverity(severity)) throw new DomainError('not_found', `No severity ${severity}`);
  const { rows } = await ctx.db.query<PolicyRow>(
    'SELECT severity, levels, repeat, updated_by, updated_at FROM escalation_policies WHERE severity = $1',
    [severity],
  );
  return view(severity, rows[0]);
}

/** Issues of notify entries that resolve to nothing. */
async function unresolvedEntries(tx: Queryable, policy: EscalationPolicy): Promise<FieldIssue[]> {
  const entries = [...new Set(policy.levels.flatMap((l) => l.notify))];
  const users = await tx.query<{ username: string }>(
    'SELECT username FROM users WHERE NOT disabled AND username = ANY($1::text[])',
    [entries],
  );
  const endpoints = await tx.query<{ id: string }>(
    'SELECT id::text AS id FROM webhook_endpoints WHERE disabled_at IS NULL AND id = ANY($1::uuid[])',
    [entries.filter((e) => UUID.test(e)).map((e) => e.toLowerCase())],
  );
  const known = new Set([...users.rows.map((r) => r.username), ...endpoints.rows.map((r) => r.id)]);
  const issues: FieldIssue[] = [];
  policy.levels.forEach((level, i) => {
    level.notify.forEach((entry, j) => {
      if (isRoleEntry(entry) || known.has(entry) || known.has(entry.toLowerCase())) return;
      if (normaliseEmail(entry) !== null) return;
      issues.push(
        issue(
          `levels.${i}.notify.${j}`,
          'notify_target_unknown',
          `"${entry}" is no active user, no active webhook endpoint and no e-mail address`,
        ),
      );
    });
  });
  return issues;
}

export async function setEscalationPolicy(
  ctx: AppContext,
  principal: Principal,
  severity: string,
  input: EscalationPolicy,
): Promise<PolicyView> {
  authorise(principal, 'escalation.manage');
  if (!isSeverity(severity)) throw new DomainError('not_found', `No severity ${severity}`);
  const policy: EscalationPolicy = {
    levels: input.levels.map((l) => ({
      notify: l.notify.map((e) => e.trim()),
      ackTimeoutSeconds: l.ackTimeoutSeconds,
    })),
    repeat: input.repeat,
  };
  const shape = policyShapeIssues(policy).map((s) => issue(s.path, 'validation_failed', s.message));
  if (shape.length > 0)
    throw new DomainError('validation_failed', 'Invalid escalation policy', shape);
  const at = ctx.now();
  return ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    const unresolved = await unresolvedEntries(tx, policy);
    if (unresolved.length > 0) {
      throw new DomainError('notify_target_unknown', 'Some notify entries name nobody', unresolved);
    }
    const before = await effectivePolicy(tx, severity);
    const { rows } = await tx.query<PolicyRow>(
      `INSERT INTO escalation_policies (severity, levels, repeat, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (severity) DO UPDATE
         SET levels = EXCLUDED.levels, repeat = EXCLUDED.repeat,
             updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
       RETURNING severity, levels, repeat, updated_by, updated_at`,
      [severity, JSON.stringify(policy.levels), policy.repeat, principal.username, at],
    );
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'escalation_policy.updated',
        entityType: 'escalation_policy',
        entityId: severity,
        before,
        after: policy,
      },
      at,
    );
    return view(severity, rows[0]);
  });
}
