/**
 * The message templates of an incident, filled from what the database knows: the merchant, the
 * approved purchases of the incident's alerts, the account change linked to it once completed
 * (its new account and the one it replaced), the remediation's recovery cases and refunds. The
 * account-change and remediation tables belong to other parts and are read only when present.
 * Masked numbers only; what is not known stays a placeholder.
 */
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { caseFileReference } from '../../core/case-file.js';
import { messageTemplates, type MessageTemplate, type TemplateFacts } from '../../core/contacts.js';
import type { Principal } from '../../core/roles.js';
import type { Queryable } from '../../storage/database.js';
import { currentAccount, findMerchant } from '../../storage/registry-repository.js';
import { incidentForContacts, type IncidentForContacts } from './log.js';

async function tableExists(q: Queryable, name: string): Promise<boolean> {
  const { rows } = await q.query<{ present: boolean }>(
    'SELECT to_regclass($1) IS NOT NULL AS present',
    [name],
  );
  return rows[0]?.present ?? false;
}

async function affectedOf(q: Queryable, incidentId: string): Promise<TemplateFacts['affected']> {
  const { rows } = await q.query<{
    n: number;
    amount: string | number;
    first_at: Date | null;
    last_at: Date | null;
  }>(
    `SELECT count(*)::int AS n, COALESCE(sum(amount_fen), 0)::bigint AS amount,
            min(occurred_at) AS first_at, max(occurred_at) AS last_at
       FROM transactions
      WHERE status = 'approved' AND type = 'purchase'
        AND id IN (SELECT transaction_id FROM alerts
                    WHERE incident_id = $1 AND transaction_id IS NOT NULL)`,
    [incidentId],
  );
  const row = rows[0];
  if (!row || row.n === 0 || !row.first_at || !row.last_at) return null;
  return {
    count: row.n,
    amountFen: Number(row.amount),
    firstAt: row.first_at,
    lastAt: row.last_at,
  };
}

/** The completed change linked to the incident (or the merchant's, completed since it opened). */
async function accountsOf(
  q: Queryable,
  incident: IncidentForContacts,
): Promise<Pick<TemplateFacts, 'oldAccount' | 'newAccount'>> {
  if (await tableExists(q, 'account_change_requests')) {
    const { rows } = await q.query<{
      account_number_masked: string;
      bank_name: string | null;
      completed_at: Date;
      previous_account_id: string | null;
    }>(
      `SELECT account_number_masked, bank_name, completed_at, previous_account_id
         FROM account_change_requests
        WHERE status = 'completed' AND merchant_no = $2
          AND (incident_id = $1 OR completed_at >= $3)
        ORDER BY (incident_id = $1) DESC NULLS LAST, completed_at DESC LIMIT 1`,
      [incident.id, incident.merchantNo, incident.openedAt],
    );
    const change = rows[0];
    if (change) {
      const previous = change.previous_account_id
        ? await q.query<{
            account_number_masked: string;
            account_name: string;
            bank_name: string | null;
          }>(
            `SELECT account_number_masked, account_name, bank_name FROM settlement_accounts
              WHERE account_id = $1 ORDER BY valid_from DESC, version_id DESC LIMIT 1`,
            [change.previous_account_id],
          )
        : null;
      const old = previous?.rows[0];
      return {
        newAccount: {
          masked: change.account_number_masked,
          bankName: change.bank_name,
          completedAt: change.completed_at,
        },
        oldAccount: old
          ? {
              masked: old.account_number_masked,
              accountName: old.account_name,
              bankName: old.bank_name,
            }
          : null,
      };
    }
  }
  // No completed change: the account in force is the one in question.
  const current = await currentAccount(q, incident.merchantNo);
  return {
    newAccount: null,
    oldAccount: current
      ? {
          masked: current.account_number_masked,
          accountName: current.account_name,
          bankName: current.bank_name,
        }
      : null,
  };
}

async function remediationOf(
  q: Queryable,
  incidentId: string,
): Promise<Pick<TemplateFacts, 'recovery' | 'refunds'>> {
  let recovery: TemplateFacts['recovery'] = null;
  let refunds: TemplateFacts['refunds'] = null;
  if (await tableExists(q, 'recovery_cases')) {
    const { rows } = await q.query<{
      amount: string | number;
      account_number_masked: string | null;
      account_name: string | null;
    }>(
      `SELECT COALESCE((SELECT sum(r.amount_fen) FROM remediations r
                         WHERE r.recovery_case_id = c.id AND r.status <> 'cancelled'), 0)::bigint
                AS amount,
              c.account_number_masked, c.account_name
         FROM recovery_cases c WHERE c.incident_id = $1
        ORDER BY c.created_at LIMIT 1`,
      [incidentId],
    );
    const row = rows[0];
    if (row && Number(row.amount) > 0) {
      recovery = {
        amountFen: Number(row.amount),
        accountMasked: row.account_number_masked,
        accountName: row.account_name,
      };
    }
  }
  if (await tableExists(q, 'cardholder_refunds')) {
    const { rows } = await q.query<{ n: number; amount: string | number }>(
      `SELECT count(*)::int AS n, COALESCE(sum(amount_fen), 0)::bigint AS amount
         FROM cardholder_refunds WHERE incident_id = $1 AND status <> 'cancelled'`,
      [incidentId],
    );
    const row = rows[0];
    if (row && row.n > 0) refunds = { count: row.n, amountFen: Number(row.amount) };
  }
  return { recovery, refunds };
}

export async function incidentMessageTemplates(
  ctx: AppContext,
  principal: Principal,
  incidentId: string,
  options: { coolingOffHours: number },
): Promise<{ items: MessageTemplate[] }> {
  authorise(principal, 'contacts.read');
  const incident = await incidentForContacts(ctx.db, incidentId);
  const merchant = await findMerchant(ctx.db, incident.merchantNo);
  const [affected, accounts, remediation] = await Promise.all([
    affectedOf(ctx.db, incident.id),
    accountsOf(ctx.db, incident),
    remediationOf(ctx.db, incident.id),
  ]);
  return {
    items: messageTemplates({
      incident: {
        reference: caseFileReference({ id: incident.id, openedAt: incident.openedAt }),
        openedAt: incident.openedAt,
      },
      merchant: { merchantNo: incident.merchantNo, name: merchant?.name ?? incident.merchantNo },
      affected,
      ...accounts,
      coolingOffHours: options.coolingOffHours,
      ...remediation,
      now: ctx.now(),
    }),
  };
}
