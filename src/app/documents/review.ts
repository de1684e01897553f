/**
 * An approver (or admin) reviews a document once: accepted, or rejected with the reason the
 * merchant sees. The identifiers read off it are checked, compared with the registry (licence
 * number with the USCC, ID number with the legal person's by fingerprint, the holder's name,
 * the account number with an open account change's new account or else the account in force,
 * the expiry with today) and stored masked and fingerprinted; the row, its comparisons and the
 * audit entry are written in one transaction. A second review is `already_reviewed`.
 */
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { DomainError, issue } from '../../core/errors.js';
import {
  checkReviewFields,
  compareWithRegistry,
  presentFields,
  REVIEW_NOTE_LENGTH_MAX,
  REVIEW_RESULTS,
  storedFields,
  type RegistryFacts,
  type ReviewFieldsInput,
  type ReviewResult,
} from '../../core/documents.js';
import type { Principal } from '../../core/roles.js';
import type { Queryable } from '../../storage/database.js';
import { currentAccount, findMerchant } from '../../storage/registry-repository.js';
import { documentRowInScope } from './queries.js';
import {
  DOCUMENT_COLUMNS,
  presentDocument,
  todayInChina,
  type DocumentRow,
  type MerchantDocument,
} from './rows.js';
import { DOCUMENT_ENTITY } from './upload.js';

export interface ReviewInput {
  result: ReviewResult;
  note?: string | null;
  fields?: ReviewFieldsInput;
}

/** Statuses of an account change in progress (migration 011): its new account is the one to check. */
const OPEN_CHANGE_STATUSES = ['pending_approval', 'pending_verification'];

/**
 * The account a document should show: the new account of the merchant's open account change
 * (the table is the account-change part's; read only when it exists), else the one in force.
 */
async function expectedAccount(
  q: Queryable,
  merchantNo: string,
): Promise<RegistryFacts['account']> {
  const present = await q.query<{ present: boolean }>(
    `SELECT to_regclass('account_change_requests') IS NOT NULL AS present`,
  );
  if (present.rows[0]?.present) {
    const { rows } = await q.query<{ account_fp: string; account_number_masked: string }>(
      `SELECT account_fp, account_number_masked FROM account_change_requests
        WHERE merchant_no = $1 AND status = ANY($2::text[])
        ORDER BY requested_at DESC LIMIT 1`,
      [merchantNo, OPEN_CHANGE_STATUSES],
    );
    const change = rows[0];
    if (change) {
      return {
        fp: change.account_fp,
        masked: change.account_number_masked,
        source: 'account_change',
      };
    }
  }
  const account = await currentAccount(q, merchantNo);
  return account
    ? { fp: account.account_fp, masked: account.account_number_masked, source: 'registry' }
    : null;
}

export async function reviewDocument(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: ReviewInput,
): Promise<MerchantDocument> {
  authorise(principal, 'documents.review');
  if (!(REVIEW_RESULTS as readonly string[]).includes(input.result)) {
    throw new DomainError('validation_failed', 'result is accepted or rejected', [
      issue('result', 'validation_failed', 'accepted or rejected'),
    ]);
  }
  const note = input.note?.trim() ? input.note.trim() : null;
  if (note !== null && note.length > REVIEW_NOTE_LENGTH_MAX) {
    throw new DomainError('validation_failed', 'The note is too long', [
      issue('note', 'validation_failed', `At most ${REVIEW_NOTE_LENGTH_MAX} characters`),
    ]);
  }
  if (input.result === 'rejected' && note === null) {
    throw new DomainError('note_required', 'A rejection says why: the merchant reads the note', [
      issue('note', 'note_required', 'Required when rejecting'),
    ]);
  }
  const at = ctx.now();
  const today = todayInChina(at);
  const row = await ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    const current = await documentRowInScope(tx, principal, id, { forUpdate: true });
    if (current.status !== 'pending_review') {
      throw new DomainError(
        'already_reviewed',
        `Document ${current.id} was already ${current.status} by ${current.reviewed_by ?? '?'}`,
      );
    }
    const checked = checkReviewFields(input.fields ?? {}, current.type, at);
    if (!checked.ok) {
      throw new DomainError(
        checked.issues[0]?.code ?? 'validation_failed',
        'The fields read off the document are not valid',
        checked.issues,
      );
    }
    const fields = storedFields(checked.fields, current.type, {
      idNumber: (v) => ctx.vault.fingerprint('resident_id', v),
      accountNumber: (v) => ctx.vault.fingerprint('account_number', v),
    });
    const merchant = await findMerchant(tx, current.merchant_no);
    if (!merchant) throw new Error(`merchant ${current.merchant_no} of a document is gone`);
    const comparisons = compareWithRegistry(
      current.type,
      fields,
      {
        merchantName: merchant.name,
        uscc: merchant.uscc,
        legalPersonName: merchant.legal_person_name,
        legalPersonIdFp: merchant.legal_person_id_fp,
        account: fields.accountNumberFp ? await expectedAccount(tx, merchant.merchant_no) : null,
      },
      today,
    );
    const { rows } = await tx.query<DocumentRow>(
      `UPDATE merchant_documents
          SET status = $2, reviewed_by = $3, reviewed_at = $4, review_note = $5, fields = $6,
              comparisons = $7, expires_on = $8
        WHERE id = $1
        RETURNING ${DOCUMENT_COLUMNS}`,
      [
        current.id,
        input.result,
        principal.username,
        at,
        note,
        JSON.stringify(fields),
        JSON.stringify(comparisons),
        fields.validUntil ?? null,
      ],
    );
    const updated = rows[0];
    if (!updated) throw new Error('document row not returned');
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'document.reviewed',
        entityType: DOCUMENT_ENTITY,
        entityId: current.id,
        merchantNo: current.merchant_no,
        before: { status: current.status },
        after: {
          status: input.result,
          note,
          fields: presentFields(fields),
          comparisons: comparisons.map((c) => ({ field: c.field, result: c.result })),
          expiresOn: fields.validUntil ?? null,
        },
      },
      at,
    );
    return updated;
  });
  return presentDocument(row, at, principal);
}
