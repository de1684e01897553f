/** SQL of transactions: set-based, one statement per batch, whatever the batch size. */
import type { Queryable } from './database.js';

export interface NewTransactionRow {
  id: string;
  merchantNo: string;
  terminalId: string;
  type: string;
  status: string;
  amountFen: number;
  currency: string;
  occurredAt: Date;
  receivedAt: Date;
  panToken: string | null;
  panMasked: string | null;
  merchantNameOnReceipt: string | null;
  rrn: string | null;
  stan: string | null;
  authCode: string | null;
  responseCode: string | null;
  source: string;
  contentHash: string;
  decision: string;
  alerts: string[];
}

export interface StoredTransactionKey {
  id: string;
  content_hash: string;
  decision: 'ok' | 'review' | 'contain';
  alerts: string[];
}

export async function findTransactionKeys(
  q: Queryable,
  ids: readonly string[],
): Promise<Map<string, StoredTransactionKey>> {
  if (ids.length === 0) return new Map();
  const { rows } = await q.query<StoredTransactionKey>(
    'SELECT id, content_hash, decision, alerts FROM transactions WHERE id = ANY($1)',
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row]));
}

/** Inserts the rows whose id is new; returns the ids it inserted. */
export async function insertTransactions(
  tx: Queryable,
  rows: readonly NewTransactionRow[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const column = <K extends keyof NewTransactionRow>(key: K) => rows.map((row) => row[key]);
  // Alert lists travel as JSON text: unnest cannot take an array of arrays of uneven length.
  const { rows: inserted } = await tx.query<{ id: string }>(
    `INSERT INTO transactions (id, merchant_no, terminal_id, type, status, amount_fen, currency,
       occurred_at, received_at, pan_token, pan_masked, merchant_name_on_receipt, rrn, stan,
       auth_code, response_code, source, content_hash, decision, alerts)
     SELECT u.id, u.merchant_no, u.terminal_id, u.type, u.status, u.amount_fen, u.currency,
            u.occurred_at, u.received_at, u.pan_token, u.pan_masked, u.receipt, u.rrn, u.stan,
            u.auth_code, u.response_code, u.source, u.content_hash, u.decision,
            ARRAY(SELECT jsonb_array_elements_text(u.alerts::jsonb))
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
                   $7::text[], $8::timestamptz[], $9::timestamptz[], $10::text[], $11::text[],
                   $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[],
                   $18::text[], $19::text[], $20::text[])
         AS u(id, merchant_no, terminal_id, type, status, amount_fen, currency, occurred_at,
              received_at, pan_token, pan_masked, receipt, rrn, stan, auth_code, response_code,
              source, content_hash, decision, alerts)
     ON CONFLICT (id) DO NOTHING
     RETURNING id`,
    [
      column('id'),
      column('merchantNo'),
      column('terminalId'),
      column('type'),
      column('status'),
      column('amountFen'),
      column('currency'),
      column('occurredAt'),
      column('receivedAt'),
      column('panToken'),
      column('panMasked'),
      column('merchantNameOnReceipt'),
      column('rrn'),
      column('stan'),
      column('authCode'),
      column('responseCode'),
      column('source'),
      column('contentHash'),
      column('decision'),
      rows.map((row) => JSON.stringify(row.alerts)),
    ],
  );
  return new Set(inserted.map((row) => row.id));
}

/** Approved purchase volume per merchant since a time. */
export async function purchaseVolumeSince(
  q: Queryable,
  merchantNos: readonly string[],
  since: Date,
  until?: Date,
): Promise<Map<string, number>> {
  if (merchantNos.length === 0) return new Map();
  const { rows } = await q.query<{ merchant_no: string; total: number }>(
    `SELECT merchant_no, sum(amount_fen)::bigint AS total FROM transactions
      WHERE merchant_no = ANY($1) AND type = 'purchase' AND status = 'approved'
        AND occurred_at > $2 AND ($3::timestamptz IS NULL OR occurred_at <= $3)
      GROUP BY merchant_no`,
    [merchantNos, since, until ?? null],
  );
  return new Map(rows.map((row) => [row.merchant_no, row.total]));
}
