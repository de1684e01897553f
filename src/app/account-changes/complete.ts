/**
 * Completing an approved and verified change, in the caller's registry transaction: the
 * accounts in force are closed and written again as `superseded` (ADR 5: versions, only
 * valid_to of the closing one is set), the new account is written `active` with its name check
 * (and the registry's alerts, as any new account), the request is `completed`, and the
 * merchant hears of it (`account.changed`). The settlement screening holds lines to the new
 * account during the cooling-off period (its account_cooling_off reason).
 */
import type { AppContext } from '../context.js';
import type { RegistryChange } from '../screening/registry-index.js';
import { recordAudit } from '../audit.js';
import { emitEvent } from '../events.js';
import type { Queryable } from '../../storage/database.js';
import { findMerchant, type AccountRow } from '../../storage/registry-repository.js';
import { presentAccount } from '../registry/present.js';
import { writeAccount } from '../registry/write-registry.js';
import { warning } from '../../core/errors.js';
import type { ErrorCode } from '../../core/errors.js';
import type { RequestRow } from './store.js';
import { auditView } from './request-change.js';
import { changeOnTimeline } from './timeline.js';

const ACCOUNT_COLUMNS = `version_id, account_id, merchant_no, account_fp, account_number_masked,
  account_name, account_type, bank_code, bank_name, status, status_reason, name_check, warnings,
  valid_from, valid_to, recorded_by`;

export async function completeChange(
  ctx: AppContext,
  tx: Queryable,
  changed: (change: RegistryChange) => void,
  row: RequestRow,
  options: { actor: string; at: Date; coolingOffHours: number },
): Promise<{ newAccountId: string }> {
  const { actor, at } = options;
  const merchant = await findMerchant(tx, row.merchant_no);
  if (!merchant) throw new Error(`merchant ${row.merchant_no} of an account change vanished`);
  const { rows: sealed } = await tx.query<{ account_number_enc: Buffer }>(
    'SELECT account_number_enc FROM account_change_requests WHERE id = $1',
    [row.id],
  );
  const enc = sealed[0]?.account_number_enc;
  if (!enc) throw new Error('account change without its sealed number');

  // Every account still in force for the merchant is replaced.
  const { rows: inForce } = await tx.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM settlement_accounts
      WHERE merchant_no = $1 AND valid_to IS NULL AND status <> 'superseded'
      ORDER BY valid_from DESC, version_id DESC FOR UPDATE`,
    [row.merchant_no],
  );
  const superseded: AccountRow[] = [];
  for (const before of inForce) {
    const reason = `结算账户变更 ${row.id} 替换 / Replaced by account change ${row.id}`;
    const { rows } = await tx.query<AccountRow>(
      `WITH closed AS (
         UPDATE settlement_accounts SET valid_to = $2 WHERE version_id = $1 AND valid_to IS NULL
         RETURNING *)
       INSERT INTO settlement_accounts (account_id, merchant_no, account_number_enc, account_fp,
         account_number_masked, account_name, account_type, bank_code, bank_name, status,
         status_reason, name_check, warnings, valid_from, recorded_by)
       SELECT account_id, merchant_no, account_number_enc, account_fp, account_number_masked,
              account_name, account_type, bank_code, bank_name, 'superseded', $3, name_check,
              warnings, $2, $4
         FROM closed
       RETURNING ${ACCOUNT_COLUMNS}`,
      [before.version_id, at, reason, actor],
    );
    const after = rows[0];
    if (!after) continue;
    superseded.push(after);
    await recordAudit(
      tx,
      {
        actor,
        action: 'settlement_account.status_changed',
        entityType: 'settlement_account',
        entityId: before.account_id,
        merchantNo: row.merchant_no,
        before: presentAccount(before),
        after: presentAccount(after),
      },
      at,
    );
  }

  const written = await writeAccount(
    ctx,
    tx,
    {
      accountNumber: ctx.vault.open('account_number', enc),
      accountNumberMasked: row.account_number_masked,
      accountName: row.account_name,
      accountType: row.account_type,
      bankCode: row.bank_code,
      bankName: row.bank_name,
      nameCheck: row.name_check,
      status: 'active',
      warnings: row.warnings.map((w) => warning(w.path, w.code as ErrorCode, w.message)),
    },
    merchant,
    { actor, at },
  );
  changed({ merchants: [row.merchant_no] });

  await tx.query(
    `UPDATE account_change_requests SET status = 'completed', new_account_id = $2,
       completed_at = $3, verified_at = COALESCE(verified_at, $3), updated_at = $3 WHERE id = $1`,
    [row.id, written.account_id, at],
  );
  const coolingOffUntil = new Date(at.getTime() + options.coolingOffHours * 3_600_000);
  const previous = superseded[0] ?? null;
  await recordAudit(
    tx,
    {
      actor,
      action: 'account_change.completed',
      entityType: 'account_change',
      entityId: row.id,
      merchantNo: row.merchant_no,
      before: auditView(row),
      after: {
        status: 'completed',
        newAccountId: written.account_id,
        accountNumberMasked: written.account_number_masked,
        supersededAccountIds: superseded.map((a) => a.account_id),
        coolingOffUntil: coolingOffUntil.toISOString(),
      },
    },
    at,
  );
  await emitEvent(
    ctx,
    tx,
    {
      type: 'account.changed',
      merchantNo: row.merchant_no,
      incidentId: row.incident_id,
      data: {
        merchantNo: row.merchant_no,
        accountChangeId: row.id,
        accountId: written.account_id,
        accountNumberMasked: written.account_number_masked,
        accountName: written.account_name,
        bankName: written.bank_name,
        previousAccountId: previous?.account_id ?? null,
        previousAccountNumberMasked: previous?.account_number_masked ?? null,
        coolingOffUntil: coolingOffUntil.toISOString(),
        incidentId: row.incident_id,
      },
    },
    at,
  );
  await changeOnTimeline(tx, row, {
    kind: 'account_change_completed',
    actor,
    at,
    text: {
      zh: `结算账户已变更为 ${written.account_number_masked}${
        previous ? `（原账户 ${previous.account_number_masked} 已替换）` : ''
      }，冷静期至 ${coolingOffUntil.toISOString()}`,
      en: `Settlement account changed to ${written.account_number_masked}${
        previous ? ` (${previous.account_number_masked} superseded)` : ''
      }; cooling-off until ${coolingOffUntil.toISOString()}`,
    },
  });
  return { newAccountId: written.account_id };
}
