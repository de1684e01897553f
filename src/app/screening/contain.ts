/**
 * Containment, in the caller's transaction, that is the transaction that stores the alerts:
 * suspend the offending terminals (by policy, every terminal of the merchant), put a settlement
 * hold on the merchant the money would go to, and open or update that merchant's one incident
 * with the alerts and what was done. Each action is audited. Everything here is idempotent:
 * a terminal already suspended, a hold already in place, an incident already open are kept.
 */
import type { Queryable } from '../../storage/database.js';
import type { AppContext } from '../context.js';
import { recordAudit } from '../audit.js';
import { addIncidentEvent } from '../incidents/timeline.js';
import { writeTerminalStatus } from '../registry/write-registry.js';
import { terminalsOfMerchant } from '../../storage/registry-repository.js';
import {
  incidentSeverity,
  SEVERITIES,
  type ScreeningPolicy,
  type Severity,
} from '../../core/screening/policy.js';
import { RULE_NAMES } from '../../core/screening/rule-names.js';
import type { RuleHit } from '../../core/screening/rules.js';
import type { EventInput } from '../../core/events.js';
import { emitEvents } from '../events.js';
import { enqueueJob } from '../jobs.js';

/** The job that snapshots the evidence of a detection (app/evidence). */
export const EVIDENCE_SNAPSHOT_JOB = 'evidence.snapshot';

export const SCREENING_ACTOR = 'screening';

export interface AlertRef {
  /** The alert row; null when an alert for the same cause was raised recently. */
  id: string | null;
  hit: RuleHit;
  /** The transaction that raised it, when a transaction did. */
  transactionId?: string;
}

export interface ContainmentOutcome {
  incidentId: string;
  opened: boolean;
  suspendedTerminalIds: string[];
  held: boolean;
}

function strongest(hits: readonly RuleHit[]): RuleHit {
  let best = hits[0];
  if (!best) throw new Error('containment without hits');
  for (const hit of hits) {
    if (SEVERITIES.indexOf(hit.severity) > SEVERITIES.indexOf(best.severity)) best = hit;
  }
  return best;
}

function addEvent(
  tx: Queryable,
  incidentId: string,
  event: { at: Date; kind: string; text: { zh: string; en: string }; data?: unknown },
): Promise<void> {
  return addIncidentEvent(tx, { incidentId, actor: SCREENING_ACTOR, ...event });
}

/** Opens the merchant's incident, or returns the open one raised to the new severity. */
async function openOrUpdateIncident(
  ctx: AppContext,
  tx: Queryable,
  input: { merchantNo: string; hits: readonly RuleHit[]; related: string[]; at: Date },
): Promise<{ id: string; opened: boolean; severity: string; title: { zh: string; en: string } }> {
  const top = strongest(input.hits);
  const severity = incidentSeverity(top.severity);
  const id = ctx.newId();
  const title = {
    zh: `${RULE_NAMES[top.rule].zh}：商户 ${input.merchantNo}`,
    en: `${RULE_NAMES[top.rule].en}: merchant ${input.merchantNo}`,
  };
  const inserted = await tx.query(
    `INSERT INTO incidents (id, merchant_no, status, severity, title, related_merchant_nos,
       opened_at, updated_at)
     VALUES ($1, $2, 'open', $3, $4, $5, $6, $6)
     ON CONFLICT (merchant_no) WHERE status NOT IN ('resolved', 'closed') AND NOT drill
     DO NOTHING`,
    [id, input.merchantNo, severity, JSON.stringify(title), input.related, input.at],
  );
  if (inserted.rowCount === 1) {
    await addEvent(tx, id, {
      at: input.at,
      kind: 'opened',
      text: { zh: `自动开立事件：${title.zh}`, en: `Opened automatically: ${title.en}` },
      data: { rule: top.rule },
    });
    await recordAudit(
      tx,
      {
        actor: SCREENING_ACTOR,
        action: 'incident.opened',
        entityType: 'incident',
        entityId: id,
        merchantNo: input.merchantNo,
        after: { id, status: 'open', severity, title, rule: top.rule },
      },
      input.at,
    );
    return { id, opened: true, severity, title };
  }
  const { rows } = await tx.query<{
    id: string;
    severity: string;
    title: { zh: string; en: string };
  }>(
    `SELECT id, severity, title FROM incidents
      WHERE merchant_no = $1 AND status NOT IN ('resolved', 'closed') AND NOT drill
      FOR UPDATE`,
    [input.merchantNo],
  );
  const existing = rows[0];
  if (!existing) throw new Error('open incident vanished');
  // P1 is the most severe: keep the smaller number.
  const raised = existing.severity < severity ? existing.severity : severity;
  await tx.query(
    `UPDATE incidents SET severity = $2, updated_at = $3,
       related_merchant_nos = ARRAY(SELECT DISTINCT unnest(related_merchant_nos || $4::text[]))
     WHERE id = $1`,
    [existing.id, raised, input.at, input.related],
  );
  return { id: existing.id, opened: false, severity: raised, title: existing.title };
}

export async function contain(
  ctx: AppContext,
  tx: Queryable,
  input: {
    merchantNo: string;
    merchantKnown: boolean;
    alerts: readonly AlertRef[];
    policy: ScreeningPolicy;
    at: Date;
  },
): Promise<ContainmentOutcome> {
  const hits = input.alerts.map((a) => a.hit);
  const related = [...new Set(hits.flatMap((h) => h.relatedMerchantNos))].filter(
    (m) => m !== input.merchantNo,
  );
  const incident = await openOrUpdateIncident(ctx, tx, {
    merchantNo: input.merchantNo,
    hits,
    related,
    at: input.at,
  });
  const events: EventInput[] = [];
  if (incident.opened) {
    events.push({
      type: 'incident.opened',
      merchantNo: input.merchantNo,
      incidentId: incident.id,
      data: {
        incidentId: incident.id,
        merchantNo: input.merchantNo,
        severity: incident.severity,
        title: incident.title,
        rules: [...new Set(hits.map((h) => h.rule))],
        relatedMerchantNos: related,
      },
    });
  }
  for (const alert of input.alerts) {
    if (alert.id === null) continue;
    await tx.query('UPDATE alerts SET incident_id = $2 WHERE id = $1', [alert.id, incident.id]);
    await addEvent(tx, incident.id, {
      at: input.at,
      kind: 'alert',
      text: alert.hit.explanation,
      data: { alertId: alert.id, rule: alert.hit.rule, severity: alert.hit.severity },
    });
  }

  const terminalIds = new Set(hits.map((h) => h.terminalId));
  if (input.policy.suspendAllTerminals && input.merchantKnown) {
    for (const t of await terminalsOfMerchant(tx, input.merchantNo)) terminalIds.add(t.terminal_id);
  }
  const rules = [...new Set(hits.map((h) => h.rule))];
  const reason = rules.map((rule) => RULE_NAMES[rule].zh);
  const reasonEn = rules.map((rule) => RULE_NAMES[rule].en);
  const suspended: string[] = [];
  // Sorted, so that two batches locking the same terminals lock them in the same order.
  for (const terminalId of [...terminalIds].sort()) {
    const moved = await writeTerminalStatus(tx, {
      terminalId,
      from: 'active',
      to: 'suspended',
      reason: `自动控制（事件 ${incident.id}）：${reason.join('、')} / Contained automatically (incident ${incident.id}): ${reasonEn.join('; ')}`,
      actor: SCREENING_ACTOR,
      at: input.at,
    });
    if (!moved) continue;
    suspended.push(terminalId);
    await tx.query(
      `INSERT INTO incident_terminals (incident_id, terminal_id, suspended_at)
       VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [incident.id, terminalId, input.at],
    );
    await addEvent(tx, incident.id, {
      at: input.at,
      kind: 'terminal_suspended',
      text: { zh: `已暂停终端 ${terminalId} 的交易`, en: `Terminal ${terminalId} suspended` },
      data: { terminalId, boundMerchantNo: moved.before.merchant_no },
    });
    events.push({
      type: 'terminal.suspended',
      merchantNo: input.merchantNo,
      incidentId: incident.id,
      data: {
        terminalId,
        merchantNo: moved.before.merchant_no,
        incidentId: incident.id,
        rules,
        by: SCREENING_ACTOR,
      },
    });
  }

  let held = false;
  if (input.merchantKnown) {
    const holdId = ctx.newId();
    const placed = await tx.query(
      `INSERT INTO settlement_holds (id, merchant_no, reason, rules, incident_id, placed_at,
         placed_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (merchant_no) WHERE released_at IS NULL DO NOTHING`,
      [holdId, input.merchantNo, reason.join('、'), rules, incident.id, input.at, SCREENING_ACTOR],
    );
    held = placed.rowCount === 1;
    if (held) {
      await addEvent(tx, incident.id, {
        at: input.at,
        kind: 'settlement_held',
        text: {
          zh: `已暂停商户 ${input.merchantNo} 的结算`,
          en: `Settlement of merchant ${input.merchantNo} held`,
        },
        data: { holdId },
      });
      await recordAudit(
        tx,
        {
          actor: SCREENING_ACTOR,
          action: 'settlement.held',
          entityType: 'settlement_hold',
          entityId: holdId,
          merchantNo: input.merchantNo,
          after: {
            merchantNo: input.merchantNo,
            reason: reason.join('、'),
            incidentId: incident.id,
          },
        },
        input.at,
      );
      events.push({
        type: 'settlement.held',
        merchantNo: input.merchantNo,
        incidentId: incident.id,
        data: {
          merchantNo: input.merchantNo,
          holdId,
          incidentId: incident.id,
          reason: { zh: reason.join('、'), en: reasonEn.join('; ') },
          rules,
        },
      });
    }
  }
  await emitEvents(ctx, tx, events, input.at);
  await enqueueSnapshot(tx, incident.id, input.alerts, input.at);
  return {
    incidentId: incident.id,
    opened: incident.opened,
    suspendedTerminalIds: suspended,
    held,
  };
}

/**
 * Asks for the evidence of a detection to be frozen: the job reads the transactions, the
 * alerts and the registry versions in force at `at` and stores them content-addressed.
 */
export async function enqueueSnapshot(
  tx: Queryable,
  incidentId: string,
  alerts: readonly { id: string | null; transactionId?: string | undefined }[],
  at: Date,
): Promise<void> {
  const alertIds = alerts.flatMap((a) => (a.id === null ? [] : [a.id]));
  if (alertIds.length === 0) return;
  const transactionIds = [
    ...new Set(alerts.flatMap((a) => (a.id !== null && a.transactionId ? [a.transactionId] : []))),
  ];
  await enqueueJob(
    tx,
    {
      kind: EVIDENCE_SNAPSHOT_JOB,
      payload: { incidentId, at: at.toISOString(), alertIds, transactionIds },
      runAt: at,
    },
    at,
  );
}

/** Attaches review alerts to the merchant's open incident, if it has one. */
export async function attachToOpenIncident(
  tx: Queryable,
  input: { merchantNo: string; alerts: readonly AlertRef[]; at: Date },
): Promise<string | null> {
  const { rows } = await tx.query<{ id: string }>(
    `SELECT id FROM incidents
      WHERE merchant_no = $1 AND status NOT IN ('resolved', 'closed') AND NOT drill`,
    [input.merchantNo],
  );
  const incidentId = rows[0]?.id;
  if (!incidentId) return null;
  if (input.alerts.every((a) => a.id === null)) return incidentId;
  for (const alert of input.alerts) {
    if (alert.id === null) continue;
    await tx.query('UPDATE alerts SET incident_id = $2 WHERE id = $1', [alert.id, incidentId]);
    await addEvent(tx, incidentId, {
      at: input.at,
      kind: 'alert',
      text: alert.hit.explanation,
      data: { alertId: alert.id, rule: alert.hit.rule, severity: alert.hit.severity },
    });
  }
  await tx.query('UPDATE incidents SET updated_at = $2 WHERE id = $1', [incidentId, input.at]);
  await enqueueSnapshot(tx, incidentId, input.alerts, input.at);
  return incidentId;
}

export type { Severity };
