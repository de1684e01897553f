/**
 * Validation of one incoming transaction, pure. Every problem is collected with its field
 * path; a transaction with a problem is refused alone, never its batch.
 */
import { issue, type FieldIssue } from './errors.js';
import { maskAccountNumber } from './identifiers/index.js';
import {
  AMOUNT_FEN_MAX,
  RECEIPT_NAME_LENGTH_MAX,
  TRANSACTION_ID_LENGTH_MAX,
  TRANSACTION_STATUSES,
  TRANSACTION_TYPES,
  type TransactionStatus,
  type TransactionType,
} from './transaction.js';

export interface ValidTransaction {
  id: string;
  terminalId: string;
  merchantNo: string;
  type: TransactionType;
  status: TransactionStatus;
  amountFen: number;
  currency: string;
  occurredAt: Date;
  pan: string | null;
  merchantNameOnReceipt: string | null;
  rrn: string | null;
  stan: string | null;
  authCode: string | null;
  responseCode: string | null;
}

const ID_PATTERN = new RegExp(`^[A-Za-z0-9_.:-]{1,${TRANSACTION_ID_LENGTH_MAX}}$`);
const TERMINAL_PATTERN = /^[0-9A-Z]{8}$/;
const MERCHANT_PATTERN = /^[0-9]{15}$/;
const PAN_PATTERN = /^[0-9]{12,19}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
/** How far ahead of the server's clock a transaction time may lie (terminal clocks drift). */
export const OCCURRED_AT_FUTURE_MAX_MS = 24 * 3600_000;

function optionalText(
  raw: unknown,
  path: string,
  pattern: RegExp,
  message: string,
  issues: FieldIssue[],
): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw !== 'string' || !pattern.test(raw)) {
    issues.push(issue(path, 'validation_failed', message));
    return null;
  }
  return raw;
}

export function validateTransaction(
  raw: unknown,
  options: { now: Date },
): { ok: true; value: ValidTransaction } | { ok: false; id: string | null; issues: FieldIssue[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, id: null, issues: [issue('', 'validation_failed', 'Not an object')] };
  }
  const t = raw as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  const id = typeof t.id === 'string' && ID_PATTERN.test(t.id) ? t.id : null;
  if (!id) {
    issues.push(
      issue(
        'id',
        'transaction_id_format',
        `1 to ${TRANSACTION_ID_LENGTH_MAX} letters, digits or - _ . :`,
      ),
    );
  }
  const terminalId = typeof t.terminalId === 'string' ? t.terminalId.toUpperCase() : '';
  if (!TERMINAL_PATTERN.test(terminalId)) {
    issues.push(issue('terminalId', 'terminal_id_format', '8 digits or capital letters'));
  }
  const merchantNo = typeof t.merchantNo === 'string' ? t.merchantNo : '';
  if (!MERCHANT_PATTERN.test(merchantNo)) {
    issues.push(issue('merchantNo', 'merchant_no_format', '15 digits'));
  }
  const type = t.type as TransactionType;
  if (!(TRANSACTION_TYPES as readonly unknown[]).includes(type)) {
    issues.push(issue('type', 'validation_failed', `One of ${TRANSACTION_TYPES.join(', ')}`));
  }
  const status = (t.status ?? 'approved') as TransactionStatus;
  if (!(TRANSACTION_STATUSES as readonly unknown[]).includes(status)) {
    issues.push(issue('status', 'validation_failed', `One of ${TRANSACTION_STATUSES.join(', ')}`));
  }
  const amountFen = t.amountFen;
  if (
    typeof amountFen !== 'number' ||
    !Number.isSafeInteger(amountFen) ||
    amountFen <= 0 ||
    amountFen > AMOUNT_FEN_MAX
  ) {
    issues.push(
      issue('amountFen', 'amount_invalid', `A whole number of fen from 1 to ${AMOUNT_FEN_MAX}`),
    );
  }
  let occurredAt: Date | null = null;
  if (typeof t.occurredAt === 'string' && RFC3339.test(t.occurredAt)) {
    const parsed = new Date(t.occurredAt);
    if (
      !Number.isNaN(parsed.getTime()) &&
      parsed.getTime() <= options.now.getTime() + OCCURRED_AT_FUTURE_MAX_MS
    ) {
      occurredAt = parsed;
    }
  }
  if (!occurredAt) {
    issues.push(issue('occurredAt', 'occurred_at_invalid', 'An RFC 3339 time, not in the future'));
  }
  let pan: string | null = null;
  if (t.pan !== undefined && t.pan !== null && t.pan !== '') {
    const digits = typeof t.pan === 'string' ? t.pan.replace(/[\s-]/g, '') : '';
    if (PAN_PATTERN.test(digits)) pan = digits;
    // The message never repeats the number.
    else issues.push(issue('pan', 'card_number_format', '12 to 19 digits'));
  }
  const currency = t.currency ?? 'CNY';
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    issues.push(issue('currency', 'validation_failed', 'An ISO 4217 code such as CNY'));
  }
  let merchantNameOnReceipt: string | null = null;
  if (typeof t.merchantNameOnReceipt === 'string' && t.merchantNameOnReceipt.trim() !== '') {
    merchantNameOnReceipt = t.merchantNameOnReceipt.trim().slice(0, RECEIPT_NAME_LENGTH_MAX);
  } else if (
    t.merchantNameOnReceipt !== undefined &&
    t.merchantNameOnReceipt !== null &&
    typeof t.merchantNameOnReceipt !== 'string'
  ) {
    issues.push(issue('merchantNameOnReceipt', 'validation_failed', 'Text'));
  }
  const rrn = optionalText(
    t.rrn,
    'rrn',
    /^[A-Za-z0-9]{1,12}$/,
    'Up to 12 letters or digits',
    issues,
  );
  const stan = optionalText(t.stan, 'stan', /^[0-9]{1,6}$/, 'Up to 6 digits', issues);
  const authCode = optionalText(
    t.authCode,
    'authCode',
    /^[A-Za-z0-9 ]{1,6}$/,
    'Up to 6 characters',
    issues,
  );
  const responseCode = optionalText(
    t.responseCode,
    'responseCode',
    /^[A-Za-z0-9]{2}$/,
    '2 characters',
    issues,
  );

  if (issues.length > 0 || !id || !occurredAt) return { ok: false, id, issues };
  return {
    ok: true,
    value: {
      id,
      terminalId,
      merchantNo,
      type,
      status,
      amountFen: amountFen as number,
      currency: currency as string,
      occurredAt,
      pan,
      merchantNameOnReceipt,
      rrn,
      stan,
      authCode,
      responseCode,
    },
  };
}

/** Card numbers are masked as personal account numbers are: at most the first six and last four. */
export function maskPan(pan: string): string {
  return maskAccountNumber(pan, 'personal');
}
