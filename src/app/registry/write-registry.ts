/**
 * The writes shared by creating and importing: a merchant, a terminal, an account, each with its
 * audit entry, in the caller's transaction. Inputs are already validated.
 */
import type { AppContext } from '../context.js';
import { recordAudit } from '../audit.js';
import { DomainError, issue } from '../../core/errors.js';
import { maskMobile, maskResidentId } from '../../core/identifiers/index.js';
import type { ValidAccount, ValidMerchant, ValidTerminal } from '../../core/registry-validation.js';
import type { FieldIssue } from '../../core/errors.js';
import type { Queryable } from '../../storage/database.js';
import {
  closeTerminalVersion,
  findMerchant,
  findTerminal,
  insertAccount,
  insertAlert,
  insertMerchant,
  insertTerminal,
  merchantsSharingAccount,
  type AccountRow,
  type MerchantRow,
  type TerminalRow,
} from '../../storage/registry-repository.js';
import { presentAccount, presentMerchantIdentity, presentTerminal } from './present.js';

export async function writeMerchant(
  ctx: AppContext,
  tx: Queryable,
  m: ValidMerchant,
  options: { actor: string; at: Date; pathPrefix?: string },
): Promise<MerchantRow> {
  const inserted = await insertMerchant(tx, {
    merchantNo: m.merchantNo,
    name: m.name,
    type: m.type,
    status: 'active',
    uscc: m.uscc,
    usccOverrideReason: m.usccOverrideReason,
    legalPersonName: m.legalPersonName,
    legalPersonIdEnc: ctx.vault.seal('resident_id', m.legalPersonIdNumber),
    legalPersonIdFp: ctx.vault.fingerprint('resident_id', m.legalPersonIdNumber),
    legalPersonIdMasked: maskResidentId(m.legalPersonIdNumber),
    mcc: m.mcc,
    contactPhoneEnc: m.contactPhone ? ctx.vault.seal('phone', m.contactPhone) : null,
    contactPhoneMasked: m.contactPhone ? maskMobile(m.contactPhone) : null,
    address: m.address,
    validFrom: options.at,
    recordedBy: options.actor,
  });
  if (!inserted) {
    const path = options.pathPrefix ? `${options.pathPrefix}.merchantNo` : 'merchantNo';
    throw new DomainError('conflict', `Merchant ${m.merchantNo} already exists`, [
      issue(path, 'conflict', 'This merchant number is already registered'),
    ]);
  }
  const row = await findMerchant(tx, m.merchantNo);
  if (!row) throw new Error('merchant vanished after insert');
  await recordAudit(
    tx,
    {
      actor: options.actor,
      action: 'merchant.created',
      entityType: 'merchant',
      entityId: m.merchantNo,
      merchantNo: m.merchantNo,
      after: presentMerchantIdentity(row),
    },
    options.at,
  );
  return row;
}

export async function writeTerminal(
  tx: Queryable,
  t: ValidTerminal,
  options: { actor: string; at: Date; pathPrefix?: string },
): Promise<TerminalRow> {
  const inserted = await insertTerminal(tx, {
    ...t,
    status: 'active',
    statusReason: null,
    validFrom: options.at,
    recordedBy: options.actor,
  });
  if (!inserted) {
    const path = options.pathPrefix ? `${options.pathPrefix}.terminalId` : 'terminalId';
    throw new DomainError(
      'conflict',
      `Terminal ${t.terminalId} or serial number ${t.serialNumber} is already registered`,
      [issue(path, 'conflict', 'Terminal id or serial number already registered')],
    );
  }
  const row: TerminalRow = {
    version_id: 0,
    terminal_id: t.terminalId,
    merchant_no: t.merchantNo,
    serial_number: t.serialNumber,
    model: t.model,
    firmware_version: t.firmwareVersion,
    location: t.location,
    status: 'active',
    status_reason: null,
    valid_from: options.at,
    valid_to: null,
    recorded_by: options.actor,
  };
  await recordAudit(
    tx,
    {
      actor: options.actor,
      action: 'terminal.created',
      entityType: 'terminal',
      entityId: t.terminalId,
      merchantNo: t.merchantNo,
      after: presentTerminal(row),
    },
    options.at,
  );
  return row;
}

/**
 * Stores an account encrypted with its fingerprint, and raises the alerts a person must see:
 * a holder name that does not match, an account that already settles for an unrelated merchant.
 */
export async function writeAccount(
  ctx: AppContext,
  tx: Queryable,
  a: ValidAccount & { status: 'active' | 'pending_verification'; warnings: FieldIssue[] },
  merchant: Pick<MerchantRow, 'merchant_no' | 'name' | 'legal_person_id_fp'>,
  options: { actor: string; at: Date },
): Promise<AccountRow> {
  const accountId = ctx.newId();
  const accountFp = ctx.vault.fingerprint('account_number', a.accountNumber);
  const row: AccountRow = {
    version_id: 0,
    account_id: accountId,
    merchant_no: merchant.merchant_no,
    account_fp: accountFp,
    account_number_masked: a.accountNumberMasked,
    account_name: a.accountName,
    account_type: a.accountType,
    bank_code: a.bankCode,
    bank_name: a.bankName,
    status: a.status,
    status_reason: null,
    name_check: a.nameCheck,
    warnings: a.warnings.map(({ path, code, message }) => ({ path, code, message })),
    valid_from: options.at,
    valid_to: null,
    recorded_by: options.actor,
  };
  await insertAccount(tx, {
    accountId,
    merchantNo: merchant.merchant_no,
    accountNumberEnc: ctx.vault.seal('account_number', a.accountNumber),
    accountFp,
    accountNumberMasked: a.accountNumberMasked,
    accountName: a.accountName,
    accountType: a.accountType,
    bankCode: a.bankCode,
    bankName: a.bankName,
    status: a.status,
    statusReason: null,
    nameCheck: a.nameCheck,
    warnings: row.warnings,
    validFrom: options.at,
    recordedBy: options.actor,
  });
  await recordAudit(
    tx,
    {
      actor: options.actor,
      action: 'settlement_account.created',
      entityType: 'settlement_account',
      entityId: accountId,
      merchantNo: merchant.merchant_no,
      after: presentAccount(row),
    },
    options.at,
  );
  if (a.nameCheck.result === 'no_match') {
    await insertAlert(tx, {
      id: ctx.newId(),
      rule: 'account_name_mismatch',
      severity: 'high',
      merchantNo: merchant.merchant_no,
      terminalId: null,
      accountId,
      explanation: {
        zh: `结算账户户名“${a.accountName}”与商户“${merchant.name}”不一致`,
        en: `Settlement account holder "${a.accountName}" does not match merchant "${merchant.name}"`,
        data: { accountName: a.accountName, nameCheck: a.nameCheck },
      },
      createdAt: options.at,
    });
  }
  const sharing = await merchantsSharingAccount(tx, accountFp, merchant.merchant_no);
  const unrelated = sharing.filter((s) => s.legal_person_id_fp !== merchant.legal_person_id_fp);
  if (unrelated.length > 0) {
    const others = unrelated.slice(0, 5).map((s) => s.merchant_no);
    await insertAlert(tx, {
      id: ctx.newId(),
      rule: 'shared_account',
      severity: 'critical',
      merchantNo: merchant.merchant_no,
      terminalId: null,
      accountId,
      explanation: {
        zh: `结算账户 ${a.accountNumberMasked} 同时为 ${unrelated.length} 个无共同法定代表人的其他商户结算：${others.join('、')}`,
        en: `Settlement account ${a.accountNumberMasked} also settles for ${unrelated.length} other merchant(s) with no common legal person: ${others.join(', ')}`,
        data: { otherMerchantNos: unrelated.map((s) => s.merchant_no) },
      },
      createdAt: options.at,
    });
  }
  return row;
}

/**
 * Moves a terminal to another status in the caller's transaction: the current version is
 * locked and closed, the next one written with the reason, and the move audited. Returns null
 * when the terminal does not exist or is not in `from`.
 */
export async function writeTerminalStatus(
  tx: Queryable,
  input: {
    terminalId: string;
    from: TerminalRow['status'];
    to: TerminalRow['status'];
    reason: string;
    actor: string;
    at: Date;
  },
): Promise<{ before: TerminalRow; after: TerminalRow } | null> {
  const current = await findTerminal(tx, input.terminalId, { forUpdate: true });
  if (!current || current.status !== input.from) return null;
  await closeTerminalVersion(tx, current.version_id, input.at);
  await insertTerminal(tx, {
    terminalId: current.terminal_id,
    merchantNo: current.merchant_no,
    serialNumber: current.serial_number,
    model: current.model,
    firmwareVersion: current.firmware_version,
    location: current.location,
    status: input.to,
    statusReason: input.reason,
    validFrom: input.at,
    recordedBy: input.actor,
  });
  const next = await findTerminal(tx, input.terminalId);
  if (!next) throw new Error('terminal vanished after a status change');
  await recordAudit(
    tx,
    {
      actor: input.actor,
      action: input.to === 'suspended' ? 'terminal.suspended' : 'terminal.resumed',
      entityType: 'terminal',
      entityId: input.terminalId,
      merchantNo: current.merchant_no,
      before: presentTerminal(current),
      after: presentTerminal(next),
    },
    input.at,
  );
  return { before: current, after: next };
}
