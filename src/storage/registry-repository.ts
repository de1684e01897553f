/**
 * SQL of the registry: versioned rows of merchants, terminals and settlement accounts. A change
 * closes the current version (valid_to) and inserts the next one; nothing else is updated.
 */
import type { Queryable } from './database.js';

export interface MerchantRow {
  version_id: number;
  merchant_no: string;
  name: string;
  type: 'enterprise' | 'individual_business' | 'micro';
  status: 'active' | 'suspended' | 'closed';
  uscc: string | null;
  uscc_override_reason: string | null;
  legal_person_name: string;
  legal_person_id_fp: string;
  legal_person_id_masked: string;
  mcc: string;
  contact_phone_masked: string | null;
  address: string | null;
  valid_from: Date;
  valid_to: Date | null;
  recorded_by: string;
}

export interface NewMerchantVersion {
  merchantNo: string;
  name: string;
  type: MerchantRow['type'];
  status: MerchantRow['status'];
  uscc: string | null;
  usccOverrideReason: string | null;
  legalPersonName: string;
  legalPersonIdEnc: Buffer;
  legalPersonIdFp: string;
  legalPersonIdMasked: string;
  mcc: string;
  contactPhoneEnc: Buffer | null;
  contactPhoneMasked: string | null;
  address: string | null;
  validFrom: Date;
  recordedBy: string;
}

const MERCHANT_COLUMNS = `version_id, merchant_no, name, type, status, uscc, uscc_override_reason,
  legal_person_name, legal_person_id_fp, legal_person_id_masked, mcc, contact_phone_masked,
  address, valid_from, valid_to, recorded_by`;

/** Inserts a first version; false when the merchant number is already current. */
export async function insertMerchant(tx: Queryable, m: NewMerchantVersion): Promise<boolean> {
  const result = await tx.query(
    `INSERT INTO merchants (merchant_no, name, type, status, uscc, uscc_override_reason,
       legal_person_name, legal_person_id_enc, legal_person_id_fp, legal_person_id_masked, mcc,
       contact_phone_enc, contact_phone_masked, address, valid_from, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     ON CONFLICT (merchant_no) WHERE valid_to IS NULL DO NOTHING`,
    [
      m.merchantNo,
      m.name,
      m.type,
      m.status,
      m.uscc,
      m.usccOverrideReason,
      m.legalPersonName,
      m.legalPersonIdEnc,
      m.legalPersonIdFp,
      m.legalPersonIdMasked,
      m.mcc,
      m.contactPhoneEnc,
      m.contactPhoneMasked,
      m.address,
      m.validFrom,
      m.recordedBy,
    ],
  );
  return result.rowCount === 1;
}

export async function findMerchant(
  q: Queryable,
  merchantNo: string,
): Promise<MerchantRow | undefined> {
  const { rows } = await q.query<MerchantRow>(
    `SELECT ${MERCHANT_COLUMNS} FROM merchants WHERE merchant_no = $1 AND valid_to IS NULL`,
    [merchantNo],
  );
  return rows[0];
}

export async function existingMerchantNos(
  q: Queryable,
  merchantNos: string[],
): Promise<Set<string>> {
  if (merchantNos.length === 0) return new Set();
  const { rows } = await q.query<{ merchant_no: string }>(
    'SELECT merchant_no FROM merchants WHERE valid_to IS NULL AND merchant_no = ANY($1)',
    [merchantNos],
  );
  return new Set(rows.map((row) => row.merchant_no));
}

export interface MerchantListRow {
  merchant_no: string;
  name: string;
  type: MerchantRow['type'];
  status: MerchantRow['status'];
  legal_person_name: string;
  valid_from: Date;
  account_status: string | null;
  name_check_result: string | null;
  terminal_count: number;
}

/** Escapes LIKE wildcards so that a search for `50%` finds that text. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listMerchants(
  q: Queryable,
  filter: {
    search: string | null;
    type: string | null;
    status: string | null;
    scope: readonly string[] | null;
    after: string | null;
    limit: number;
  },
): Promise<MerchantListRow[]> {
  const { rows } = await q.query<MerchantListRow>(
    `SELECT m.merchant_no, m.name, m.type, m.status, m.legal_person_name, m.valid_from,
            a.status AS account_status, a.name_check->>'result' AS name_check_result,
            (SELECT count(*)::int FROM terminals t
              WHERE t.merchant_no = m.merchant_no AND t.valid_to IS NULL
                AND t.status <> 'retired') AS terminal_count
       FROM merchants m
       LEFT JOIN LATERAL (
         SELECT status, name_check FROM settlement_accounts s
          WHERE s.merchant_no = m.merchant_no AND s.valid_to IS NULL AND s.status <> 'superseded'
          ORDER BY s.valid_from DESC LIMIT 1) a ON true
      WHERE m.valid_to IS NULL
        AND ($1::text IS NULL OR m.name ILIKE $1 OR m.merchant_no LIKE $1
             OR m.legal_person_name ILIKE $1)
        AND ($2::text IS NULL OR m.type = $2)
        AND ($3::text IS NULL OR m.status = $3)
        AND ($4::text[] IS NULL OR m.merchant_no = ANY($4))
        AND ($5::text IS NULL OR m.merchant_no > $5)
      ORDER BY m.merchant_no
      LIMIT $6`,
    [
      filter.search ? likePattern(filter.search) : null,
      filter.type,
      filter.status,
      filter.scope,
      filter.after,
      filter.limit,
    ],
  );
  return rows;
}

export interface TerminalRow {
  version_id: number;
  terminal_id: string;
  merchant_no: string;
  serial_number: string;
  model: string;
  firmware_version: string;
  location: string | null;
  status: 'active' | 'suspended' | 'retired';
  status_reason: string | null;
  valid_from: Date;
  valid_to: Date | null;
  recorded_by: string;
}

export interface NewTerminalVersion {
  terminalId: string;
  merchantNo: string;
  serialNumber: string;
  model: string;
  firmwareVersion: string;
  location: string | null;
  status: TerminalRow['status'];
  statusReason: string | null;
  validFrom: Date;
  recordedBy: string;
}

/** Inserts a version; false when the terminal id or serial number is taken by a current one. */
export async function insertTerminal(tx: Queryable, t: NewTerminalVersion): Promise<boolean> {
  const taken = await tx.query(
    `SELECT 1 FROM terminals WHERE valid_to IS NULL AND (terminal_id = $1 OR serial_number = $2)`,
    [t.terminalId, t.serialNumber],
  );
  if (taken.rowCount > 0) return false;
  await tx.query(
    `INSERT INTO terminals (terminal_id, merchant_no, serial_number, model, firmware_version,
       location, status, status_reason, valid_from, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      t.terminalId,
      t.merchantNo,
      t.serialNumber,
      t.model,
      t.firmwareVersion,
      t.location,
      t.status,
      t.statusReason,
      t.validFrom,
      t.recordedBy,
    ],
  );
  return true;
}

/** Closes the current version of a terminal (the next one is inserted by the caller). */
export async function closeTerminalVersion(
  tx: Queryable,
  versionId: number,
  validTo: Date,
): Promise<void> {
  await tx.query('UPDATE terminals SET valid_to = $2 WHERE version_id = $1 AND valid_to IS NULL', [
    versionId,
    validTo,
  ]);
}

const TERMINAL_COLUMNS = `version_id, terminal_id, merchant_no, serial_number, model,
  firmware_version, location, status, status_reason, valid_from, valid_to, recorded_by`;

export async function findTerminal(
  q: Queryable,
  terminalId: string,
  options: { forUpdate?: boolean } = {},
): Promise<TerminalRow | undefined> {
  const { rows } = await q.query<TerminalRow>(
    `SELECT ${TERMINAL_COLUMNS} FROM terminals WHERE terminal_id = $1 AND valid_to IS NULL
     ${options.forUpdate ? 'FOR UPDATE' : ''}`,
    [terminalId],
  );
  return rows[0];
}

export async function terminalsOfMerchant(
  q: Queryable,
  merchantNo: string,
): Promise<TerminalRow[]> {
  const { rows } = await q.query<TerminalRow>(
    `SELECT ${TERMINAL_COLUMNS} FROM terminals WHERE merchant_no = $1 AND valid_to IS NULL
     ORDER BY terminal_id`,
    [merchantNo],
  );
  return rows;
}

export interface TerminalListRow extends TerminalRow {
  merchant_name: string | null;
}

export async function listTerminals(
  q: Queryable,
  filter: {
    search: string | null;
    merchantNo: string | null;
    status: string | null;
    scope: readonly string[] | null;
    after: string | null;
    limit: number;
  },
): Promise<TerminalListRow[]> {
  const { rows } = await q.query<TerminalListRow>(
    `SELECT t.version_id, t.terminal_id, t.merchant_no, t.serial_number, t.model,
            t.firmware_version, t.location, t.status, t.status_reason, t.valid_from, t.valid_to,
            t.recorded_by, m.name AS merchant_name
       FROM terminals t
       LEFT JOIN merchants m ON m.merchant_no = t.merchant_no AND m.valid_to IS NULL
      WHERE t.valid_to IS NULL
        AND ($1::text IS NULL OR t.terminal_id ILIKE $1 OR t.serial_number ILIKE $1
             OR t.model ILIKE $1 OR m.name ILIKE $1 OR t.merchant_no LIKE $1)
        AND ($2::text IS NULL OR t.merchant_no = $2)
        AND ($3::text IS NULL OR t.status = $3)
        AND ($4::text[] IS NULL OR t.merchant_no = ANY($4))
        AND ($5::text IS NULL OR t.terminal_id > $5)
      ORDER BY t.terminal_id
      LIMIT $6`,
    [
      filter.search ? likePattern(filter.search) : null,
      filter.merchantNo,
      filter.status,
      filter.scope,
      filter.after,
      filter.limit,
    ],
  );
  return rows;
}

export interface AccountRow {
  version_id: number;
  account_id: string;
  merchant_no: string;
  account_fp: string;
  account_number_masked: string;
  account_name: string;
  account_type: 'corporate' | 'personal';
  bank_code: string | null;
  bank_name: string | null;
  status: 'pending_verification' | 'active' | 'errored' | 'frozen' | 'superseded';
  status_reason: string | null;
  name_check: {
    result: 'match' | 'close_match' | 'no_match';
    score: number;
    reasons: string[];
    comparedWith: 'merchant_name' | 'legal_person';
  };
  warnings: { path: string; code: string; message: string }[];
  valid_from: Date;
  valid_to: Date | null;
  recorded_by: string;
}

export interface NewAccountVersion {
  accountId: string;
  merchantNo: string;
  accountNumberEnc: Buffer;
  accountFp: string;
  accountNumberMasked: string;
  accountName: string;
  accountType: AccountRow['account_type'];
  bankCode: string | null;
  bankName: string | null;
  status: AccountRow['status'];
  statusReason: string | null;
  nameCheck: AccountRow['name_check'];
  warnings: AccountRow['warnings'];
  validFrom: Date;
  recordedBy: string;
}

export async function insertAccount(tx: Queryable, a: NewAccountVersion): Promise<void> {
  await tx.query(
    `INSERT INTO settlement_accounts (account_id, merchant_no, account_number_enc, account_fp,
       account_number_masked, account_name, account_type, bank_code, bank_name, status,
       status_reason, name_check, warnings, valid_from, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      a.accountId,
      a.merchantNo,
      a.accountNumberEnc,
      a.accountFp,
      a.accountNumberMasked,
      a.accountName,
      a.accountType,
      a.bankCode,
      a.bankName,
      a.status,
      a.statusReason,
      JSON.stringify(a.nameCheck),
      JSON.stringify(a.warnings),
      a.validFrom,
      a.recordedBy,
    ],
  );
}

const ACCOUNT_COLUMNS = `version_id, account_id, merchant_no, account_fp, account_number_masked,
  account_name, account_type, bank_code, bank_name, status, status_reason, name_check, warnings,
  valid_from, valid_to, recorded_by`;

/** The merchant's settlement account in force: the newest current version not superseded. */
export async function currentAccount(
  q: Queryable,
  merchantNo: string,
): Promise<AccountRow | undefined> {
  const { rows } = await q.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM settlement_accounts
      WHERE merchant_no = $1 AND valid_to IS NULL AND status <> 'superseded'
      ORDER BY valid_from DESC, version_id DESC LIMIT 1`,
    [merchantNo],
  );
  return rows[0];
}

export async function accountHistory(q: Queryable, merchantNo: string): Promise<AccountRow[]> {
  const { rows } = await q.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM settlement_accounts WHERE merchant_no = $1
      ORDER BY valid_from DESC, version_id DESC LIMIT 500`,
    [merchantNo],
  );
  return rows;
}

/** Other merchants whose current account has this fingerprint. */
export async function merchantsSharingAccount(
  q: Queryable,
  accountFp: string,
  exceptMerchantNo: string,
): Promise<{ merchant_no: string; legal_person_id_fp: string }[]> {
  const { rows } = await q.query<{ merchant_no: string; legal_person_id_fp: string }>(
    `SELECT DISTINCT s.merchant_no, m.legal_person_id_fp
       FROM settlement_accounts s
       JOIN merchants m ON m.merchant_no = s.merchant_no AND m.valid_to IS NULL
      WHERE s.account_fp = $1 AND s.valid_to IS NULL AND s.status <> 'superseded'
        AND s.merchant_no <> $2
      LIMIT 100`,
    [accountFp, exceptMerchantNo],
  );
  return rows;
}

export interface NewAlert {
  id: string;
  rule: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  merchantNo: string;
  terminalId: string | null;
  accountId: string | null;
  transactionId?: string | null;
  decision?: 'ok' | 'review' | 'contain';
  explanation: { zh: string; en: string; data: Record<string, unknown> };
  createdAt: Date;
}

export async function insertAlert(tx: Queryable, alert: NewAlert): Promise<void> {
  await tx.query(
    `INSERT INTO alerts (id, rule, severity, merchant_no, terminal_id, account_id, explanation,
       created_at, transaction_id, decision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      alert.id,
      alert.rule,
      alert.severity,
      alert.merchantNo,
      alert.terminalId,
      alert.accountId,
      JSON.stringify(alert.explanation),
      alert.createdAt,
      alert.transactionId ?? null,
      alert.decision ?? 'review',
    ],
  );
}
