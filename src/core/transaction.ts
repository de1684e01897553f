/**
 * A card transaction as it reaches SettleGuard from the switch, whatever the source (JSON
 * batch, NDJSON file, ISO 8583 message, stream). Pure types and limits.
 */

export const TRANSACTION_TYPES = ['purchase', 'refund', 'reversal', 'void'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export const TRANSACTION_STATUSES = ['approved', 'declined'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

export const DECISIONS = ['ok', 'review', 'contain'] as const;
export type Decision = (typeof DECISIONS)[number];

/** Largest single amount taken: 100 million yuan, in fen. */
export const AMOUNT_FEN_MAX = 10_000_000_000;
export const TRANSACTION_ID_LENGTH_MAX = 64;
export const RECEIPT_NAME_LENGTH_MAX = 100;

export interface TransactionInput {
  /** The switch's id of the transaction; idempotency key. */
  id: string;
  terminalId: string;
  merchantNo: string;
  type: TransactionType;
  /** Integer fen, positive. */
  amountFen: number;
  /** RFC 3339. */
  occurredAt: string;
  /** Full card number (PAN); tokenised on arrival, never stored or logged. */
  pan?: string;
  status?: TransactionStatus;
  /** Merchant name printed on the receipt (ISO 8583 field 43). */
  merchantNameOnReceipt?: string;
  /** Retrieval reference number (检索参考号, field 37). */
  rrn?: string;
  /** System trace audit number (流水号, field 11). */
  stan?: string;
  /** Authorisation code (授权码, field 38). */
  authCode?: string;
  /** Response code from the issuer (field 39). */
  responseCode?: string;
  /** ISO 4217 currency; CNY by default. */
  currency?: string;
}
