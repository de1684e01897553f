/**
 * Working an incident: acknowledge, assign, comment, move it through its lifecycle, record its
 * root cause and post-mortem, change its severity. Each action is one transaction: the audit
 * chain's lock first (the order every writer keeps, see app/audit.ts), then the incident's row,
 * the check, the change, its timeline entry (bilingual, naming who did what), its audit entry,
 * and its event when the lifecycle table says so (marked `drill` for drills). Each answers the
 * incident as `GET /api/v1/incidents/{id}` shows it to the caller.
 *
 * Which move is allowed is decided by the table in core/incidents/lifecycle.ts, never here.
 */
import { addIncidentEvent } from './timeline.js';
import type { AppContext } from '../context.js';
import { authorise, changeRegistry, ensureInScope } from '../context.js';
import { recordAudit } from '../audit.js';
import type { RegistryChange } from '../screening/registry-index.js';
import { emitEvent } from '../events.js';
import type { Queryable } from '../../storage/database.js';
import { DomainError, issue } from '../../core/errors.js';
import type { Principal, Role } from '../../core/roles.js';
import {
  ACTIVE_STATUSES,
  AUDIT_ACTIONS,
  COMMENT_LENGTH_MAX,
  decideTransition,
  HELD_MONEY_PLAN_LENGTH_MAX,
  LESSON_LENGTH_MAX,
  LESSONS_MAX,
  NOTE_LENGTH_MAX,
  POST_MORTEM_SUMMARY_LENGTH_MAX,
  ROLES_WITH_MOVES,
  ROOT_CAUSE_DETAIL_LENGTH_MAX,
  ROOT_CAUSE_NAMES,
  SEVERITY_REASON_LENGTH_MAX,
  STATUS_NAMES,
  type IncidentSeverity,
  type IncidentStatus,
  type RootCauseCategory,
  type Transition,
} from '../../core/incidents/lifecycle.js';
import {
  getIncident,
  heldMoneyOf,
  isIncidentId,
  moneyIsHeld,
  otherOpenIncident,
  type IncidentView,
  type PostMortem,
  type RootCause,
} from './queries.js';
import { unassignedRemediations } from '../remediation/remediations.js';

/** Roles an incident can be assigned to: those who may work it. */
export const ASSIGNABLE_ROLES: readonly Role[] = ['admin', 'risk', 'ops', 'approver'];

interface LockedIncident {
  id: string;
  merchant_no: string;
  status: IncidentStatus;
  severity: IncidentSeverity;
  title: { zh: string; en: string };
  drill: boolean;
  scenario: string | null;
  assignee: string | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  contained_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  root_cause: RootCause | null;
  post_mortem: PostMortem | null;
  held_money_plan: string | null;
}

type Bilingual = { zh: string; en: string };

/** Trimmed text within bounds, or a 422 naming the field. */
function boundedText(value: string, path: string, max: number): string {
  const text = value.trim();
  if (text.length === 0 || text.length > max) {
    throw new DomainError('validation_failed', `${path}: 1 to ${String(max)} characters`, [
      issue(path, 'validation_failed', `1 to ${String(max)} characters`),
    ]);
  }
  return text;
}

function optionalText(value: string | undefined, path: string, max: number): string | null {
  if (value === undefined || value.trim().length === 0) return null;
  return boundedText(value, path, max);
}

/**
 * Runs `work` on the locked incident in one transaction, then answers the incident as the
 * caller sees it. Drills are invisible to merchant users, who may not act anyway. The
 * transaction is a registry change (audit chain locked first): screening keeps each merchant's
 * open incident in its index, so a move that opens or ends it is announced to every instance.
 */
async function onIncident(
  ctx: AppContext,
  principal: Principal,
  id: string,
  work: (
    tx: Queryable,
    incident: LockedIncident,
    at: Date,
    changed: (change: RegistryChange) => void,
  ) => Promise<void>,
): Promise<IncidentView> {
  if (!isIncidentId(id)) throw new DomainError('not_found', 'Incident not found');
  const at = ctx.now();
  await changeRegistry(ctx, async (tx, changed) => {
    const { rows } = await tx.query<LockedIncident>(
      `SELECT id, merchant_no, status, severity, title, drill, scenario, assignee,
              acknowledged_at, acknowledged_by, contained_at, resolved_at, closed_at,
              root_cause, post_mortem, held_money_plan
         FROM incidents WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const incident = rows[0];
    if (!incident) throw new DomainError('not_found', 'Incident not found');
    ensureInScope(principal, incident.merchant_no, 'Incident');
    if (incident.drill && principal.role === 'merchant') {
      throw new DomainError('not_found', 'Incident not found');
    }
    await work(tx, incident, at, changed);
  });
  return getIncident(ctx, principal, id);
}

function refuseClosed(incident: LockedIncident): void {
  if (incident.status === 'closed') {
    throw new DomainError('incident_closed', `Incident ${incident.id} is closed; it is final`);
  }
}

async function touch(tx: Queryable, incidentId: string, at: Date): Promise<void> {
  await tx.query('UPDATE incidents SET updated_at = $2 WHERE id = $1', [incidentId, at]);
}

/** What an incident's events say about it: identifiers and plain facts only. */
function eventData(incident: LockedIncident, extra: Record<string, unknown>) {
  return {
    incidentId: incident.id,
    merchantNo: incident.merchant_no,
    severity: incident.severity,
    title: incident.title,
    drill: incident.drill,
    ...(incident.scenario ? { scenario: incident.scenario } : {}),
    ...extra,
  };
}

function stateOf(incident: LockedIncident) {
  return {
    status: incident.status,
    severity: incident.severity,
    assignee: incident.assignee,
    acknowledgedAt: incident.acknowledged_at?.toISOString() ?? null,
    resolvedAt: incident.resolved_at?.toISOString() ?? null,
    closedAt: incident.closed_at?.toISOString() ?? null,
    heldMoneyPlan: incident.held_money_plan,
  };
}

const TIMELINE_KINDS: Partial<Record<Transition['action'], string>> = {
  acknowledge: 'acknowledged',
  resolve: 'resolved',
  close: 'closed',
  reopen: 'reopened',
};

function transitionText(
  actor: string,
  transition: Transition,
  note: string | null,
  plan: string | null,
): Bilingual {
  const from = STATUS_NAMES[transition.from];
  const to = STATUS_NAMES[transition.to];
  let zh =
    transition.action === 'acknowledge'
      ? `${actor} 已确认事件`
      : `${actor} 将事件状态由「${from.zh}」改为「${to.zh}」`;
  let en =
    transition.action === 'acknowledge'
      ? `${actor} acknowledged the incident`
      : `${actor} moved the incident from ${from.en} to ${to.en}`;
  if (note) {
    zh += `：${note}`;
    en += `: ${note}`;
  }
  if (plan) {
    zh += `（暂停资金处理方案：${plan}）`;
    en += ` (plan for the held money: ${plan})`;
  }
  return { zh, en };
}

/** The time columns after a move. Acknowledged and contained keep their first time. */
function stampsAfter(incident: LockedIncident, transition: Transition, actor: string, at: Date) {
  const next = {
    acknowledged_at: incident.acknowledged_at,
    acknowledged_by: incident.acknowledged_by,
    contained_at: incident.contained_at,
    resolved_at: incident.resolved_at,
    closed_at: incident.closed_at,
  };
  switch (transition.stamp) {
    case 'acknowledged':
      next.acknowledged_at ??= at;
      next.acknowledged_by ??= actor;
      break;
    case 'contained':
      next.contained_at ??= at;
      break;
    case 'resolved':
      next.resolved_at = at;
      break;
    case 'closed':
      next.closed_at = at;
      break;
    case 'reopened':
      next.resolved_at = null;
      break;
    case null:
      break;
  }
  return next;
}

export interface TransitionInput {
  to: IncidentStatus;
  note?: string | undefined;
  heldMoneyPlan?: string | undefined;
}

/** Moves the incident as the lifecycle table allows: `POST /incidents/{id}/transition`. */
export async function transitionIncident(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: TransitionInput,
): Promise<IncidentView> {
  if (!ROLES_WITH_MOVES.includes(principal.role)) {
    throw new DomainError('forbidden', `Role ${principal.role} may not move incidents`);
  }
  const note = optionalText(input.note, 'note', NOTE_LENGTH_MAX);
  const plan = optionalText(input.heldMoneyPlan, 'heldMoneyPlan', HELD_MONEY_PLAN_LENGTH_MAX);
  if (plan !== null && input.to !== 'resolved') {
    throw new DomainError('validation_failed', 'A heldMoneyPlan goes with a move to resolved', [
      issue('heldMoneyPlan', 'validation_failed', 'only with to = resolved'),
    ]);
  }
  return onIncident(ctx, principal, id, async (tx, incident, at, changed) => {
    const held = await heldMoneyOf(tx, incident.merchant_no);
    const other = await otherOpenIncident(tx, {
      id: incident.id,
      merchantNo: incident.merchant_no,
      drill: incident.drill,
    });
    const transition = decideTransition({
      from: incident.status,
      to: input.to,
      role: principal.role,
      facts: {
        hasRootCause: incident.root_cause !== null,
        postMortemLessons: incident.post_mortem?.lessons.length ?? 0,
        moneyHeld: moneyIsHeld(held),
        heldMoneyPlan: plan !== null,
        note: note !== null,
        otherOpenIncident: other !== null,
        unassignedRemediations:
          input.to === 'resolved' && (await unassignedRemediations(tx, incident.id)) > 0,
      },
    });
    const stamps = stampsAfter(incident, transition, principal.username, at);
    const heldMoneyPlan =
      transition.to === 'resolved'
        ? plan
        : transition.stamp === 'reopened'
          ? null
          : incident.held_money_plan;
    await tx.query(
      `UPDATE incidents SET status = $2, updated_at = $3, acknowledged_at = $4,
         acknowledged_by = $5, contained_at = $6, resolved_at = $7, closed_at = $8,
         held_money_plan = $9
       WHERE id = $1`,
      [
        incident.id,
        transition.to,
        at,
        stamps.acknowledged_at,
        stamps.acknowledged_by,
        stamps.contained_at,
        stamps.resolved_at,
        stamps.closed_at,
        heldMoneyPlan,
      ],
    );
    const moneyHeld = moneyIsHeld(held);
    if (
      !incident.drill &&
      ACTIVE_STATUSES.includes(transition.from) !== ACTIVE_STATUSES.includes(transition.to)
    ) {
      changed({ merchants: [incident.merchant_no] });
    }
    await addIncidentEvent(tx, {
      incidentId: incident.id,
      at,
      kind: TIMELINE_KINDS[transition.action] ?? 'status_changed',
      actor: principal.username,
      text: transitionText(principal.username, transition, note, plan),
      data: {
        from: transition.from,
        to: transition.to,
        action: transition.action,
        ...(note ? { note } : {}),
        ...(plan ? { heldMoneyPlan: plan, heldFen: held.amountFen } : {}),
      },
    });
    const after: LockedIncident = {
      ...incident,
      ...stamps,
      status: transition.to,
      held_money_plan: heldMoneyPlan,
    };
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: AUDIT_ACTIONS[transition.action],
        entityType: 'incident',
        entityId: incident.id,
        merchantNo: incident.merchant_no,
        before: stateOf(incident),
        after: {
          ...stateOf(after),
          note,
          ...(transition.to === 'resolved'
            ? { moneyHeld, heldFen: held.amountFen, heldLineCount: held.lineCount }
            : {}),
        },
      },
      at,
    );
    if (transition.emits) {
      await emitEvent(
        ctx,
        tx,
        {
          type: transition.emits,
          merchantNo: incident.merchant_no,
          incidentId: incident.id,
          drill: incident.drill,
          data: eventData(incident, {
            status: transition.to,
            from: transition.from,
            by: principal.username,
            ...(transition.to === 'resolved'
              ? {
                  rootCauseCategory: incident.root_cause?.category ?? null,
                  heldFen: held.amountFen,
                  heldMoneyPlan: plan !== null,
                }
              : {}),
          }),
        },
        at,
      );
    }
  });
}

/** `POST /incidents/{id}/acknowledge`: the move open → acknowledged. */
export async function acknowledgeIncident(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: { note?: string | undefined } = {},
): Promise<IncidentView> {
  return transitionIncident(ctx, principal, id, { to: 'acknowledged', note: input.note });
}

export async function assignIncident(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: { username: string },
): Promise<IncidentView> {
  authorise(principal, 'incidents.assign');
  const username = input.username.trim();
  return onIncident(ctx, principal, id, async (tx, incident, at) => {
    refuseClosed(incident);
    const { rows } = await tx.query<{ username: string; role: Role; disabled: boolean }>(
      'SELECT username, role, disabled FROM users WHERE username = $1',
      [username],
    );
    const user = rows[0];
    if (!user) {
      throw new DomainError('user_unknown', `No user ${username}`, [
        issue('username', 'user_unknown', 'no such user'),
      ]);
    }
    if (user.disabled || !ASSIGNABLE_ROLES.includes(user.role)) {
      throw new DomainError(
        'assignee_not_allowed',
        `User ${username} (${user.role}${user.disabled ? ', disabled' : ''}) cannot work incidents`,
        [issue('username', 'assignee_not_allowed', `assign to ${ASSIGNABLE_ROLES.join(', ')}`)],
      );
    }
    // Assigning the same person again changes nothing and records nothing.
    if (incident.assignee === user.username) return;
    await tx.query('UPDATE incidents SET assignee = $2, updated_at = $3 WHERE id = $1', [
      incident.id,
      user.username,
      at,
    ]);
    await addIncidentEvent(tx, {
      incidentId: incident.id,
      at,
      kind: 'assigned',
      actor: principal.username,
      text: {
        zh: `${principal.username} 将事件指派给 ${user.username}`,
        en: `${principal.username} assigned the incident to ${user.username}`,
      },
      data: { from: incident.assignee, to: user.username },
    });
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'incident.assigned',
        entityType: 'incident',
        entityId: incident.id,
        merchantNo: incident.merchant_no,
        before: { assignee: incident.assignee },
        after: { assignee: user.username },
      },
      at,
    );
  });
}

export async function commentOnIncident(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: { text: string },
): Promise<IncidentView> {
  authorise(principal, 'incidents.comment');
  const text = boundedText(input.text, 'text', COMMENT_LENGTH_MAX);
  return onIncident(ctx, principal, id, async (tx, incident, at) => {
    refuseClosed(incident);
    await touch(tx, incident.id, at);
    await addIncidentEvent(tx, {
      incidentId: incident.id,
      at,
      kind: 'comment',
      actor: principal.username,
      text: { zh: `${principal.username} 评论：${text}`, en: `${principal.username}: ${text}` },
      data: { comment: text },
    });
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'incident.commented',
        entityType: 'incident',
        entityId: incident.id,
        merchantNo: incident.merchant_no,
        after: { comment: text },
      },
      at,
    );
  });
}

export interface RootCauseInput {
  category: RootCauseCategory;
  detail: string;
  operator?: string | undefined;
}

/** Records (or replaces) the root cause. An operator error names the user whose change caused it. */
export async function recordRootCause(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: RootCauseInput,
): Promise<IncidentView> {
  authorise(principal, 'incidents.root_cause');
  const detail = boundedText(input.detail, 'detail', ROOT_CAUSE_DETAIL_LENGTH_MAX);
  const operator = input.operator?.trim() ?? '';
  if (input.category === 'operator_error' && operator.length === 0) {
    throw new DomainError(
      'operator_required',
      'An operator error names the user whose change caused it',
      [issue('operator', 'operator_required', 'the username of the operator')],
    );
  }
  if (input.category !== 'operator_error' && operator.length > 0) {
    throw new DomainError('validation_failed', 'Only an operator error names an operator', [
      issue('operator', 'validation_failed', 'only with category operator_error'),
    ]);
  }
  return onIncident(ctx, principal, id, async (tx, incident, at) => {
    refuseClosed(incident);
    if (operator.length > 0) {
      const { rows } = await tx.query('SELECT 1 FROM users WHERE username = $1', [operator]);
      if (rows.length === 0) {
        throw new DomainError('user_unknown', `No user ${operator}`, [
          issue('operator', 'user_unknown', 'no such user'),
        ]);
      }
    }
    const rootCause: RootCause = {
      category: input.category,
      detail,
      ...(operator.length > 0 ? { operator } : {}),
      recordedBy: principal.username,
      recordedAt: at.toISOString(),
    };
    await tx.query('UPDATE incidents SET root_cause = $2, updated_at = $3 WHERE id = $1', [
      incident.id,
      JSON.stringify(rootCause),
      at,
    ]);
    const name = ROOT_CAUSE_NAMES[input.category];
    await addIncidentEvent(tx, {
      incidentId: incident.id,
      at,
      kind: 'root_cause',
      actor: principal.username,
      text: {
        zh: `${principal.username} 记录根本原因（${name.zh}${operator ? `，由 ${operator} 的变更引起` : ''}）：${detail}`,
        en: `${principal.username} recorded the root cause (${name.en}${operator ? `, caused by a change of ${operator}` : ''}): ${detail}`,
      },
      data: { category: input.category, ...(operator ? { operator } : {}) },
    });
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'incident.root_cause_recorded',
        entityType: 'incident',
        entityId: incident.id,
        merchantNo: incident.merchant_no,
        before: { rootCause: incident.root_cause },
        after: { rootCause },
      },
      at,
    );
  });
}

export async function recordPostMortem(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: { summary: string; lessons: readonly string[] },
): Promise<IncidentView> {
  authorise(principal, 'incidents.post_mortem');
  const summary = boundedText(input.summary, 'summary', POST_MORTEM_SUMMARY_LENGTH_MAX);
  if (input.lessons.length < 1 || input.lessons.length > LESSONS_MAX) {
    throw new DomainError('validation_failed', `1 to ${String(LESSONS_MAX)} lessons`, [
      issue('lessons', 'validation_failed', `1 to ${String(LESSONS_MAX)} lessons`),
    ]);
  }
  const lessons = input.lessons.map((lesson, index) =>
    boundedText(lesson, `lessons.${String(index)}`, LESSON_LENGTH_MAX),
  );
  return onIncident(ctx, principal, id, async (tx, incident, at) => {
    refuseClosed(incident);
    const postMortem: PostMortem = {
      summary,
      lessons,
      recordedBy: principal.username,
      recordedAt: at.toISOString(),
    };
    await tx.query('UPDATE incidents SET post_mortem = $2, updated_at = $3 WHERE id = $1', [
      incident.id,
      JSON.stringify(postMortem),
      at,
    ]);
    await addIncidentEvent(tx, {
      incidentId: incident.id,
      at,
      kind: 'post_mortem',
      actor: principal.username,
      text: {
        zh: `${principal.username} 记录事后复盘（${String(lessons.length)} 条经验教训）：${summary}`,
        en: `${principal.username} recorded the post-mortem (${String(lessons.length)} lesson${lessons.length === 1 ? '' : 's'}): ${summary}`,
      },
      data: { lessons: lessons.length },
    });
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'incident.post_mortem_recorded',
        entityType: 'incident',
        entityId: incident.id,
        merchantNo: incident.merchant_no,
        before: { postMortem: incident.post_mortem },
        after: { postMortem },
      },
      at,
    );
  });
}

export async function changeSeverity(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: { severity: IncidentSeverity; reason: string },
): Promise<IncidentView> {
  authorise(principal, 'incidents.severity');
  const reason = boundedText(input.reason, 'reason', SEVERITY_REASON_LENGTH_MAX);
  return onIncident(ctx, principal, id, async (tx, incident, at) => {
    refuseClosed(incident);
    if (incident.severity === input.severity) {
      throw new DomainError('invalid_state', `The incident is already ${input.severity}`);
    }
    await tx.query('UPDATE incidents SET severity = $2, updated_at = $3 WHERE id = $1', [
      incident.id,
      input.severity,
      at,
    ]);
    await addIncidentEvent(tx, {
      incidentId: incident.id,
      at,
      kind: 'severity_changed',
      actor: principal.username,
      text: {
        zh: `${principal.username} 将严重级别由 ${incident.severity} 改为 ${input.severity}：${reason}`,
        en: `${principal.username} changed the severity from ${incident.severity} to ${input.severity}: ${reason}`,
      },
      data: { from: incident.severity, to: input.severity },
    });
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'incident.severity_changed',
        entityType: 'incident',
        entityId: incident.id,
        merchantNo: incident.merchant_no,
        before: { severity: incident.severity },
        after: { severity: input.severity, reason },
      },
      at,
    );
  });
}
