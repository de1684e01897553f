/**
 * Escalation as jobs (ADR 13). When an incident opens, the dispatcher starts its escalation:
 * the policy of its severity is copied, and the first step (level 1, round 1) is queued at
 * once. Each step, in one transaction: stop if the incident has been acknowledged (or has
 * left `open`); otherwise tell the level's people (console page, and e-mail when they have an
 * address), addresses (e-mail) and webhook endpoints (the incident's event), write each
 * notification into the incident's timeline, and queue the next step after the level's
 * acknowledgement time. Steps after the first emit `incident.escalated`. A step runs once: a
 * retried job finds its row in `escalation_steps` and does nothing.
 *
 * Drills escalate too, on the console only (marked as drills): no e-mail, no webhook.
 */
import type { Queryable } from '../../storage/database.js';
import type { AppContext } from '../context.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { emitEvent } from '../events.js';
import { enqueueJob } from '../jobs.js';
import {
  FIRST_STEP,
  isFirstStep,
  nextStep,
  roleOfEntry,
  type EscalationPolicy,
  type EscalationStep,
  type IncidentSeverity,
} from '../../core/notifications/escalation.js';
import { maskEmail, normaliseEmail } from '../../core/notifications/addresses.js';
import {
  incidentLink,
  notificationSentText,
  pageEmail,
  pageNotificationText,
  type Bilingual,
  type IncidentFacts,
} from '../../core/notifications/messages.js';
import { effectivePolicy } from './escalation-policies.js';
import { pageUserOnConsole } from './console-notifications.js';
import { createEmailDelivery } from './email.js';
import { createWebhookDelivery, type WebhookMessage } from './webhook-deliveries.js';
import { addTimelineEntry, NOTIFICATIONS_ACTOR } from './timeline.js';
import type { NotificationSettings } from './settings.js';

export const ESCALATE_JOB = 'incident.escalate';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function stepKey(incidentId: string, step: EscalationStep): string {
  return `incident.escalate:${incidentId}:${step.level}:${step.round}`;
}

async function enqueueStep(
  tx: Queryable,
  incidentId: string,
  step: EscalationStep,
  runAt: Date,
  now: Date,
): Promise<void> {
  await enqueueJob(
    tx,
    {
      kind: ESCALATE_JOB,
      payload: { incidentId, level: step.level, round: step.round },
      runAt,
      dedupeKey: stepKey(incidentId, step),
    },
    now,
  );
}

/** Starts an incident's escalation, once; the dispatcher calls it on `incident.opened`. */
export async function startEscalation(
  tx: Queryable,
  input: {
    incidentId: string;
    severity: IncidentSeverity;
    drill: boolean;
    openedEventId: string;
    now: Date;
  },
): Promise<boolean> {
  const policy = await effectivePolicy(tx, input.severity);
  const inserted = await tx.query(
    `INSERT INTO escalations (incident_id, severity, policy, opened_event_id, drill, started_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (incident_id) DO NOTHING`,
    [
      input.incidentId,
      input.severity,
      JSON.stringify(policy),
      input.openedEventId,
      input.drill,
      input.now,
    ],
  );
  if (inserted.rowCount === 0) return false;
  await enqueueStep(tx, input.incidentId, FIRST_STEP, input.now, input.now);
  return true;
}

interface IncidentRow {
  id: string;
  status: string;
  severity: string;
  merchant_no: string;
  title: { zh: string; en: string };
  drill: boolean;
  opened_at: Date;
  acknowledged_at: string | null;
}

interface EscalationRow {
  policy: EscalationPolicy;
  opened_event_id: string | null;
  drill: boolean;
  stopped_at: Date | null;
}

interface UserTarget {
  kind: 'user';
  id: string;
  username: string;
  email: string | null;
}
type Target =
  | UserTarget
  | { kind: 'email'; address: string }
  | { kind: 'webhook'; id: string }
  | { kind: 'unknown'; entry: string };

/** The people, addresses and endpoints a level's entries name now (users active only). */
async function resolveTargets(tx: Queryable, entries: readonly string[]): Promise<Target[]> {
  const roles = entries.flatMap((e) => {
    const role = roleOfEntry(e);
    return role ? [role] : [];
  });
  const users = await tx.query<{
    id: string;
    username: string;
    role: string;
    email: string | null;
  }>(
    `SELECT id, username, role, email FROM users
      WHERE NOT disabled AND (username = ANY($1::text[]) OR role = ANY($2::text[]))
      ORDER BY username`,
    [entries, roles],
  );
  const endpoints = await tx.query<{ id: string }>(
    'SELECT id::text AS id FROM webhook_endpoints WHERE disabled_at IS NULL AND id = ANY($1::uuid[])',
    [entries.filter((e) => UUID.test(e)).map((e) => e.toLowerCase())],
  );
  const endpointIds = new Set(endpoints.rows.map((r) => r.id));
  const targets: Target[] = [];
  const seenUsers = new Set<string>();
  const addUser = (u: { id: string; username: string; email: string | null }) => {
    if (seenUsers.has(u.id)) return;
    seenUsers.add(u.id);
    targets.push({ kind: 'user', id: u.id, username: u.username, email: u.email });
  };
  for (const entry of entries) {
    const role = roleOfEntry(entry);
    if (role) {
      for (const u of users.rows) if (u.role === role) addUser(u);
      continue;
    }
    const user = users.rows.find((u) => u.username === entry);
    if (user) {
      addUser(user);
      continue;
    }
    if (endpointIds.has(entry.toLowerCase())) {
      targets.push({ kind: 'webhook', id: entry.toLowerCase() });
      continue;
    }
    const address = normaliseEmail(entry);
    targets.push(address ? { kind: 'email', address } : { kind: 'unknown', entry });
  }
  return targets;
}

async function eventMessage(tx: Queryable, eventId: string): Promise<WebhookMessage | null> {
  const { rows } = await tx.query<{
    id: string;
    type: string;
    at: Date;
    data: unknown;
    incident_id: string | null;
  }>('SELECT id, type, at, data, incident_id FROM outbox_events WHERE id = $1', [eventId]);
  const row = rows[0];
  return row
    ? {
        messageId: row.id,
        eventId: row.id,
        type: row.type,
        at: row.at,
        data: row.data,
        incidentId: row.incident_id,
      }
    : null;
}

/** The job: one step of one incident's escalation. */
export async function escalateStep(
  ctx: AppContext,
  settings: NotificationSettings,
  input: { incidentId: string; level: number; round: number },
): Promise<void> {
  const step: EscalationStep = { level: input.level, round: input.round };
  await ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    // to_jsonb reads acknowledged_at whether or not the lifecycle's migration added it yet.
    const incidents = await tx.query<IncidentRow>(
      `SELECT i.id, i.status, i.severity, i.merchant_no, i.title, i.drill, i.opened_at,
              to_jsonb(i) ->> 'acknowledged_at' AS acknowledged_at
         FROM incidents i WHERE i.id = $1 FOR UPDATE`,
      [input.incidentId],
    );
    const incident = incidents.rows[0];
    const escalations = await tx.query<EscalationRow>(
      `SELECT policy, opened_event_id, drill, stopped_at FROM escalations
        WHERE incident_id = $1 FOR UPDATE`,
      [input.incidentId],
    );
    const escalation = escalations.rows[0];
    if (!incident || !escalation || escalation.stopped_at !== null) return;
    const now = ctx.now();
    const acknowledged = incident.acknowledged_at !== null || incident.status !== 'open';
    const taken = await tx.query(
      `INSERT INTO escalation_steps (incident_id, level, round, at, outcome)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [incident.id, step.level, step.round, now, acknowledged ? 'stopped' : 'notified'],
    );
    if (taken.rowCount === 0) return;
    if (acknowledged) {
      await stopEscalation(tx, incident, step, now);
      return;
    }
    const level = escalation.policy.levels[step.level - 1];
    if (!level) {
      await tx.query(
        `UPDATE escalations SET stopped_at = $2, stop_reason = 'exhausted' WHERE incident_id = $1`,
        [incident.id, now],
      );
      return;
    }
    const drill = incident.drill || escalation.drill;
    const facts: IncidentFacts = {
      id: incident.id,
      severity: incident.severity,
      status: incident.status,
      merchantNo: incident.merchant_no,
      title: incident.title,
      openedAt: incident.opened_at,
      drill,
    };
    const targets = await resolveTargets(tx, level.notify);
    let messageEventId = escalation.opened_event_id;
    if (!isFirstStep(step)) {
      messageEventId = await recordEscalated(ctx, tx, { facts, step, targets, now });
    }
    await notifyTargets(ctx, tx, settings, { facts, step, targets, messageEventId, now });
    const next = nextStep(escalation.policy, step);
    if (next) {
      await enqueueStep(
        tx,
        incident.id,
        next,
        new Date(now.getTime() + level.ackTimeoutSeconds * 1000),
        now,
      );
    } else {
      await tx.query(
        `UPDATE escalations SET stopped_at = $2, stop_reason = 'exhausted' WHERE incident_id = $1`,
        [incident.id, now],
      );
    }
  });
}

async function stopEscalation(
  tx: Queryable,
  incident: IncidentRow,
  step: EscalationStep,
  now: Date,
): Promise<void> {
  await tx.query(
    `UPDATE escalations SET stopped_at = $2, stop_reason = 'acknowledged' WHERE incident_id = $1`,
    [incident.id, now],
  );
  await addTimelineEntry(tx, incident.id, {
    at: now,
    kind: 'escalation_stopped',
    text: {
      zh: `事件已确认，升级通知停止（未通知第 ${step.level} 级第 ${step.round} 轮）`,
      en: `The incident was acknowledged; escalation stopped before level ${step.level} round ${step.round}`,
    },
    data: { level: step.level, round: step.round },
  });
}

function targetLabel(target: Target): string {
  switch (target.kind) {
    case 'user':
      return target.username;
    case 'email':
      return maskEmail(target.address);
    case 'webhook':
      return `webhook ${target.id}`;
    case 'unknown':
      return target.entry.slice(0, 64);
  }
}

/** `incident.escalated`: the event, the timeline entry and the audit entry of a later step. */
async function recordEscalated(
  ctx: AppContext,
  tx: Queryable,
  input: { facts: IncidentFacts; step: EscalationStep; targets: readonly Target[]; now: Date },
): Promise<string> {
  const { facts, step, now } = input;
  const notified = input.targets.map(targetLabel);
  const emitted = await emitEvent(
    ctx,
    tx,
    {
      type: 'incident.escalated',
      merchantNo: facts.merchantNo,
      incidentId: facts.id,
      drill: facts.drill,
      data: {
        incidentId: facts.id,
        merchantNo: facts.merchantNo,
        severity: facts.severity,
        title: facts.title,
        level: step.level,
        round: step.round,
        openedAt: facts.openedAt.toISOString(),
        notified,
      },
    },
    now,
  );
  await tx.query(
    'UPDATE escalation_steps SET event_id = $4 WHERE incident_id = $1 AND level = $2 AND round = $3',
    [facts.id, step.level, step.round, emitted.id],
  );
  await addTimelineEntry(tx, facts.id, {
    at: now,
    kind: 'escalated',
    text: {
      zh: `无人确认，升级至第 ${step.level} 级（第 ${step.round} 轮）`,
      en: `Not acknowledged in time: escalated to level ${step.level} (round ${step.round})`,
    },
    data: { level: step.level, round: step.round, eventId: emitted.id },
  });
  await recordAudit(
    tx,
    {
      actor: NOTIFICATIONS_ACTOR,
      action: 'incident.escalated',
      entityType: 'incident',
      entityId: facts.id,
      merchantNo: facts.merchantNo,
      after: { level: step.level, round: step.round, notified, drill: facts.drill },
    },
    now,
  );
  return emitted.id;
}

type Channel = 'console' | 'email' | 'webhook';

async function notifyTargets(
  ctx: AppContext,
  tx: Queryable,
  settings: NotificationSettings,
  input: {
    facts: IncidentFacts;
    step: EscalationStep;
    targets: readonly Target[];
    messageEventId: string | null;
    now: Date;
  },
): Promise<void> {
  const { facts, step, now } = input;
  const external = !facts.drill;
  const link = incidentLink(facts.id, null);
  const email = pageEmail({
    incident: facts,
    ...step,
    link: incidentLink(facts.id, settings.publicUrl),
  });
  const pageText = pageNotificationText({ incident: facts, ...step });
  const message = input.messageEventId ? await eventMessage(tx, input.messageEventId) : null;
  const skipped: { label: string; why: Bilingual }[] = [];
  for (const target of input.targets) {
    const channels: Channel[] = [];
    const sendEmail = async (to: string, username: string | null) =>
      createEmailDelivery(ctx, tx, {
        to,
        username,
        subject: email.subject,
        text: email.text,
        eventId: input.messageEventId,
        incidentId: facts.id,
        dedupeKey: `page:${facts.id}:${step.level}:${step.round}:${to}`,
        now,
      });
    if (target.kind === 'user') {
      await pageUserOnConsole(tx, {
        userId: target.id,
        incidentId: facts.id,
        eventType: isFirstStep(step) ? 'incident.opened' : 'incident.escalated',
        eventId: input.messageEventId,
        merchantNo: facts.merchantNo,
        severity: facts.severity,
        drill: facts.drill,
        text: pageText,
        link,
        level: step.level,
        round: step.round,
        at: now,
      });
      channels.push('console');
      if (target.email && external && settings.mail) {
        await sendEmail(target.email, target.username);
        channels.push('email');
      }
    } else if (target.kind === 'email') {
      if (external && settings.mail) {
        await sendEmail(target.address, null);
        channels.push('email');
      }
    } else if (target.kind === 'webhook') {
      if (external && message) {
        await createWebhookDelivery(ctx, tx, {
          endpointId: target.id,
          message,
          reason: 'escalation',
          now,
        });
        channels.push('webhook');
      }
    }
    if (channels.length === 0) {
      skipped.push({ label: targetLabel(target), why: whyNotSent(target, facts.drill, settings) });
      continue;
    }
    await addTimelineEntry(tx, facts.id, {
      at: now,
      kind: 'notification_sent',
      text: notificationSentText({ target: targetLabel(target), channels, ...step }),
      data: { target: targetLabel(target), channels, level: step.level, round: step.round },
    });
  }
  if (skipped.length > 0) {
    await addTimelineEntry(tx, facts.id, {
      at: now,
      kind: 'notification_skipped',
      text: {
        zh: `未通知 ${skipped.map((s) => `${s.label}（${s.why.zh}）`).join('、')}，第 ${step.level} 级第 ${step.round} 轮`,
        en: `Not notified: ${skipped.map((s) => `${s.label} (${s.why.en})`).join(', ')}; level ${step.level} round ${step.round}`,
      },
      data: { skipped: skipped.map((s) => s.label), level: step.level, round: step.round },
    });
  }
}

function whyNotSent(target: Target, drill: boolean, settings: NotificationSettings): Bilingual {
  if (target.kind === 'unknown') {
    return { zh: '目标不存在或已停用', en: 'no such active user or endpoint' };
  }
  if (drill) return { zh: '演练不发送邮件和 Webhook', en: 'a drill sends no e-mail or webhook' };
  if (target.kind === 'email' && !settings.mail) {
    return { zh: '未配置邮件服务器', en: 'e-mail is not configured' };
  }
  return { zh: '无可用渠道', en: 'no channel available' };
}
