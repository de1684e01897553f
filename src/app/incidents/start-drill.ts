/**
 * Starting a drill: `POST /api/v1/drills { scenario, merchantNo? }`. A drill incident is opened
 * on a real merchant of the registry (the one named, or the first active merchant with a
 * terminal) with made-up alerts and timeline entries marked 【演练】/[DRILL], and its
 * `incident.opened` event is emitted with `drill: true` so that only the console hears of it.
 * It suspends no terminal, places no hold, posts no ledger entry: the containment a real
 * incident would get is written in its timeline as not done. From there it is worked through
 * the same lifecycle as a real incident, up to closed. Its evidence snapshot is asked for like a
 * real detection's.
 */
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { emitEvent } from '../events.js';
import type { Queryable } from '../../storage/database.js';
import { DomainError, issue } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import {
  DRILL_MARK,
  planDrill,
  type DrillFacts,
  type DrillScenario,
} from '../../core/incidents/drills.js';
import { currentAccount } from '../../storage/registry-repository.js';
import { enqueueSnapshot } from '../screening/contain.js';
import { addIncidentEvent } from './timeline.js';
import { getIncident, type IncidentView } from './queries.js';

async function pickMerchant(
  tx: Queryable,
  merchantNo: string | undefined,
): Promise<{ merchant_no: string; name: string }> {
  if (merchantNo !== undefined) {
    const { rows } = await tx.query<{ merchant_no: string; name: string }>(
      'SELECT merchant_no, name FROM merchants WHERE merchant_no = $1 AND valid_to IS NULL',
      [merchantNo],
    );
    const found = rows[0];
    if (!found) {
      throw new DomainError('merchant_unknown', `No merchant ${merchantNo} in the registry`, [
        issue('merchantNo', 'merchant_unknown', 'no such merchant'),
      ]);
    }
    return found;
  }
  // The first active merchant with a terminal, so that the scenario has something to name;
  // any merchant when none has one.
  const { rows } = await tx.query<{ merchant_no: string; name: string }>(
    `SELECT m.merchant_no, m.name FROM merchants m
      WHERE m.valid_to IS NULL
      ORDER BY (m.status = 'active') DESC,
               EXISTS (SELECT 1 FROM terminals t
                        WHERE t.merchant_no = m.merchant_no AND t.valid_to IS NULL) DESC,
               m.merchant_no
      LIMIT 1`,
  );
  const first = rows[0];
  if (!first)
    throw new DomainError('drill_no_merchant', 'The registry has no merchant to drill on');
  return first;
}

async function factsOf(
  tx: Queryable,
  merchant: { merchant_no: string; name: string },
): Promise<DrillFacts> {
  const terminals = await tx.query<{ terminal_id: string }>(
    `SELECT terminal_id FROM terminals WHERE merchant_no = $1 AND valid_to IS NULL
      ORDER BY terminal_id LIMIT 20`,
    [merchant.merchant_no],
  );
  const account = await currentAccount(tx, merchant.merchant_no);
  const others = await tx.query<{ merchant_no: string; name: string; terminal_id: string | null }>(
    `SELECT m.merchant_no, m.name,
            (SELECT t.terminal_id FROM terminals t
              WHERE t.merchant_no = m.merchant_no AND t.valid_to IS NULL
              ORDER BY t.terminal_id LIMIT 1) AS terminal_id
       FROM merchants m
      WHERE m.valid_to IS NULL AND m.merchant_no <> $1
      ORDER BY m.merchant_no LIMIT 1`,
    [merchant.merchant_no],
  );
  const other = others.rows[0];
  return {
    merchantNo: merchant.merchant_no,
    merchantName: merchant.name,
    terminalIds: terminals.rows.map((t) => t.terminal_id),
    accountNumberMasked: account?.account_number_masked ?? null,
    accountName: account?.account_name ?? null,
    other: other
      ? { merchantNo: other.merchant_no, name: other.name, terminalId: other.terminal_id }
      : null,
  };
}

export async function startDrill(
  ctx: AppContext,
  principal: Principal,
  input: { scenario: DrillScenario; merchantNo?: string | undefined },
): Promise<IncidentView> {
  authorise(principal, 'drills.start');
  const at = ctx.now();
  const id = ctx.newId();
  await ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    const merchant = await pickMerchant(tx, input.merchantNo);
    const facts = await factsOf(tx, merchant);
    const plan = planDrill(input.scenario, facts);
    const related =
      facts.other && input.scenario !== 'settlement_returned' ? [facts.other.merchantNo] : [];
    await tx.query(
      `INSERT INTO incidents (id, merchant_no, status, severity, title, related_merchant_nos,
         drill, scenario, opened_at, updated_at)
       VALUES ($1, $2, 'open', $3, $4, $5, true, $6, $7, $7)`,
      [
        id,
        facts.merchantNo,
        plan.severity,
        JSON.stringify(plan.title),
        related,
        input.scenario,
        at,
      ],
    );
    await addIncidentEvent(tx, {
      incidentId: id,
      at,
      kind: 'opened',
      actor: principal.username,
      text: {
        zh: `${DRILL_MARK.zh}${principal.username} 开始演练：${plan.title.zh}`,
        en: `${DRILL_MARK.en}Drill started by ${principal.username}: ${plan.title.en}`,
      },
      data: { drill: true, scenario: input.scenario },
    });
    const alertIds: string[] = [];
    for (const alert of plan.alerts) {
      const alertId = ctx.newId();
      alertIds.push(alertId);
      await tx.query(
        `INSERT INTO alerts (id, rule, severity, merchant_no, terminal_id, account_id, explanation,
           created_at, transaction_id, decision, incident_id, drill)
         VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, NULL, 'contain', $8, true)`,
        [
          alertId,
          alert.rule,
          alert.severity,
          facts.merchantNo,
          alert.terminalId,
          JSON.stringify(alert.explanation),
          at,
          id,
        ],
      );
      await addIncidentEvent(tx, {
        incidentId: id,
        at,
        kind: 'alert',
        actor: principal.username,
        text: { zh: alert.explanation.zh, en: alert.explanation.en },
        data: { alertId, rule: alert.rule, severity: alert.severity, drill: true },
      });
    }
    await addIncidentEvent(tx, {
      incidentId: id,
      at,
      kind: 'drill_containment',
      actor: principal.username,
      text: plan.wouldContain,
      data: { drill: true },
    });
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'drill.started',
        entityType: 'incident',
        entityId: id,
        merchantNo: facts.merchantNo,
        after: {
          id,
          status: 'open',
          severity: plan.severity,
          title: plan.title,
          drill: true,
          scenario: input.scenario,
          alertIds,
        },
      },
      at,
    );
    await emitEvent(
      ctx,
      tx,
      {
        type: 'incident.opened',
        merchantNo: facts.merchantNo,
        incidentId: id,
        drill: true,
        data: {
          incidentId: id,
          merchantNo: facts.merchantNo,
          severity: plan.severity,
          title: plan.title,
          rules: plan.alerts.map((a) => a.rule),
          relatedMerchantNos: related,
          drill: true,
          scenario: input.scenario,
        },
      },
      at,
    );
    // The evidence of the drill is frozen like a real detection's, so that the case file and
    // the evidence list can be practised too; it holds the made-up alerts and no transaction.
    await enqueueSnapshot(
      tx,
      id,
      alertIds.map((alertId) => ({ id: alertId })),
      at,
    );
  });
  return getIncident(ctx, principal, id);
}
