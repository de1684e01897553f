/**
 * Asking for an account change: the new account runs every registry check (refused with its
 * codes when the number is invalid), one change in progress per merchant, the velocity limit,
 * the incident link, the risk and the documents it needs, consent (a merchant user's request is
 * its consent), attached documents, the audit entry and the incident's timeline, in one
 * transaction.
 */
import type { AppContext } from '../context.js';
import { authorise, ensureInScope } from '../context.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { DomainError, issue } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import type { Queryable } from '../../storage/database.js';
import type { SettlementAccountInput } from '../../core/registry.js';
import { validateAccount } from '../../core/registry-validation.js';
import { lookupBin } from '../../core/bins/bins.js';
import {
  accountChecks,
  assessRisk,
  requiredDocumentTypes,
  velocityExceeded,
  CONFIRM_ATTEMPTS,
  type ConsentChannel,
} from '../../core/account-changes/index.js';
import {
  currentAccount,
  findMerchant,
  merchantsSharingAccount,
} from '../../storage/registry-repository.js';
import { UUID } from '../settlement/queries.js';
import { DOCUMENT_IDS_MAX, type AccountChangePolicy } from './policy.js';
import { findRequest, openIncidentOf, type RequestRow } from './store.js';
import { changeOnTimeline } from './timeline.js';
import { loadBundle } from './queries.js';
import { presentRequest } from './view.js';

export interface RequestChangeInput extends SettlementAccountInput {
  merchantNo: string;
  reason: string;
  incidentId?: string;
  documentIds?: string[];
  consent?: { channel: ConsentChannel; reference?: string };
}

export function auditView(row: RequestRow) {
  return {
    id: row.id,
    merchantNo: row.merchant_no,
    incidentId: row.incident_id,
    status: row.status,
    accountNumberMasked: row.account_number_masked,
    accountName: row.account_name,
    accountType: row.account_type,
    bankName: row.bank_name,
    nameCheck: row.name_check.result,
    highRisk: row.high_risk,
    riskReasons: row.risk_reasons,
    approvalsNeeded: row.approvals_needed,
    requiredDocuments: row.required_documents,
  };
}

/** Attaches documents of the request's merchant; another merchant's document is not found. */
export async function attachDocumentRows(
  tx: Queryable,
  input: {
    requestId: string;
    merchantNo: string;
    documentIds: readonly string[];
    actor: string;
    at: Date;
  },
): Promise<string[]> {
  const ids = [...new Set(input.documentIds)];
  if (ids.length > DOCUMENT_IDS_MAX) {
    throw new DomainError('batch_too_large', `At most ${DOCUMENT_IDS_MAX} documents at once`);
  }
  const bad = ids.filter((id) => !UUID.test(id));
  const { rows } = await tx.query<{ id: string }>(
    'SELECT id FROM merchant_documents WHERE id = ANY($1::uuid[]) AND merchant_no = $2',
    [ids.filter((id) => UUID.test(id)), input.merchantNo],
  );
  const found = new Set(rows.map((r) => r.id));
  const unknown = [...bad, ...ids.filter((id) => UUID.test(id) && !found.has(id))];
  if (unknown.length > 0) {
    throw new DomainError(
      'not_found',
      'Document not found for this merchant',
      unknown.map((id) =>
        issue(
          `documentIds.${ids.indexOf(id)}`,
          'not_found',
          'No document of this merchant with this id',
        ),
      ),
    );
  }
  const { rows: inserted } = await tx.query<{ document_id: string }>(
    `INSERT INTO account_change_documents (request_id, document_id, attached_by, attached_at)
     SELECT $1, d, $3, $4 FROM unnest($2::uuid[]) AS d
     ON CONFLICT DO NOTHING RETURNING document_id`,
    [input.requestId, ids, input.actor, input.at],
  );
  return inserted.map((r) => r.document_id);
}

/**
 * Document types about the account itself: a permit, card or authorisation already accepted
 * for the old account says nothing about the new one, so only one not yet reviewed is taken.
 */
const ACCOUNT_BOUND_TYPES = ['account_opening_permit', 'bank_card', 'settlement_authorization'];
/** How far back a merchant's documents are taken for a new request without being named. */
export const DOCUMENT_RECENT_DAYS = 180;

/**
 * Attaches, on the request's behalf, the merchant's documents it needs and was not given:
 * the merchant uploads first and asks later (or the other way round, see
 * `attachToOpenChange`), and nobody should have to copy document ids between screens. Taken:
 * documents of a needed type with no attached one of that type, not rejected, not expired,
 * uploaded in the last DOCUMENT_RECENT_DAYS; for account-bound types only those still waiting
 * for review. Every document is still reviewed, and the approver sees each one.
 */
export async function attachMerchantDocuments(
  tx: Queryable,
  input: { requestId: string; merchantNo: string; actor: string; at: Date },
): Promise<string[]> {
  const { rows } = await tx.query<{ document_id: string }>(
    `INSERT INTO account_change_documents (request_id, document_id, attached_by, attached_at)
     SELECT DISTINCT ON (d.type) $1::uuid, d.id, $3, $4::timestamptz
       FROM merchant_documents d
       JOIN account_change_requests r ON r.id = $1::uuid
      WHERE d.merchant_no = $2 AND d.type = ANY(r.required_documents)
        AND d.status <> 'rejected'
        AND (d.expires_on IS NULL OR d.expires_on >= ($4::timestamptz AT TIME ZONE 'Asia/Shanghai')::date)
        AND d.uploaded_at >= $4::timestamptz - make_interval(days => $5::int)
        AND (d.status = 'pending_review' OR NOT (d.type = ANY($6::text[])))
        AND NOT EXISTS (SELECT 1 FROM account_change_documents a
                          JOIN merchant_documents x ON x.id = a.document_id
                         WHERE a.request_id = $1::uuid AND x.type = d.type AND x.status <> 'rejected')
      ORDER BY d.type, (d.status = 'accepted') DESC, d.uploaded_at DESC
     ON CONFLICT DO NOTHING RETURNING document_id`,
    [
      input.requestId,
      input.merchantNo,
      input.actor,
      input.at,
      DOCUMENT_RECENT_DAYS,
      ACCOUNT_BOUND_TYPES,
    ],
  );
  return rows.map((r) => r.document_id);
}

/**
 * A document uploaded while the merchant has a change in progress that needs its type (and has
 * none of it yet) is attached to that change at once, in the upload's transaction.
 */
export async function attachToOpenChange(
  tx: Queryable,
  input: { merchantNo: string; documentId: string; type: string; actor: string; at: Date },
): Promise<string | null> {
  const { rows } = await tx.query<{ request_id: string }>(
    `INSERT INTO account_change_documents (request_id, document_id, attached_by, attached_at)
     SELECT r.id, $2::uuid, $4, $5::timestamptz FROM account_change_requests r
      WHERE r.merchant_no = $1 AND r.status = 'pending_approval'
        AND $3::text = ANY(r.required_documents)
        AND NOT EXISTS (SELECT 1 FROM account_change_documents a
                          JOIN merchant_documents x ON x.id = a.document_id
                         WHERE a.request_id = r.id AND x.type = $3 AND x.status <> 'rejected')
     ON CONFLICT DO NOTHING RETURNING request_id`,
    [input.merchantNo, input.documentId, input.type, input.actor, input.at],
  );
  return rows[0]?.request_id ?? null;
}

export async function requestAccountChange(
  ctx: AppContext,
  principal: Principal,
  policy: AccountChangePolicy,
  input: RequestChangeInput,
) {
  authorise(principal, 'account_changes.request');
  ensureInScope(principal, input.merchantNo, 'Merchant');
  const merchant = await findMerchant(ctx.db, input.merchantNo);
  if (!merchant) throw new DomainError('not_found', 'Merchant not found');
  const reason = input.reason.trim();
  if (!reason) {
    throw new DomainError('validation_failed', 'A reason is required', [
      issue('reason', 'validation_failed', 'Say why the account changes'),
    ]);
  }
  const checked = validateAccount(input, {
    type: merchant.type,
    name: merchant.name,
    legalPersonName: merchant.legal_person_name,
  });
  if (!checked.ok) {
    throw new DomainError(
      checked.issues[0]?.code ?? 'validation_failed',
      'The new account has invalid data',
      checked.issues,
    );
  }
  if (input.incidentId !== undefined && !UUID.test(input.incidentId)) {
    throw new DomainError('not_found', 'Incident not found', [
      issue('incidentId', 'not_found', 'No incident of this merchant with this id'),
    ]);
  }
  const account = checked.value;
  const accountFp = ctx.vault.fingerprint('account_number', account.accountNumber);
  const bin = account.accountType === 'personal' ? lookupBin(account.accountNumber) : null;
  const at = ctx.now();
  const id = ctx.newId();
  const merchantUser = principal.role === 'merchant';
  await ctx.db.transaction(async (tx) => {
    // The audit chain's lock serialises requests: the in-progress and velocity checks below
    // cannot race another request of the same merchant.
    await lockAuditChain(tx);
    const { rows: recent } = await tx.query<{ open: number; recent: number }>(
      `SELECT count(*) FILTER (WHERE status IN ('pending_approval', 'pending_verification'))::int AS open,
              count(*) FILTER (WHERE status IN ('pending_approval', 'pending_verification')
                OR (status = 'completed' AND completed_at > $2::timestamptz - make_interval(days => $3::int)))::int AS recent
         FROM account_change_requests WHERE merchant_no = $1`,
      [merchant.merchant_no, at, policy.windowDays],
    );
    if ((recent[0]?.open ?? 0) > 0) {
      throw new DomainError(
        'account_change_in_progress',
        'This merchant already has an account change in progress',
      );
    }
    if (velocityExceeded({ recentChanges: recent[0]?.recent ?? 0, max: policy.max })) {
      throw new DomainError(
        'velocity_limit',
        `At most ${policy.max} account changes in ${policy.windowDays} days per merchant`,
      );
    }
    const openIncident = await openIncidentOf(tx, merchant.merchant_no);
    let incidentId = openIncident;
    if (input.incidentId !== undefined) {
      const { rows } = await tx.query<{ id: string }>(
        'SELECT id FROM incidents WHERE id = $1 AND merchant_no = $2 AND NOT drill',
        [input.incidentId, merchant.merchant_no],
      );
      if (!rows[0]) {
        throw new DomainError('not_found', 'Incident not found', [
          issue('incidentId', 'not_found', 'No incident of this merchant with this id'),
        ]);
      }
      incidentId = rows[0].id;
    }
    const current = await currentAccount(tx, merchant.merchant_no);
    const sharing = await merchantsSharingAccount(tx, accountFp, merchant.merchant_no);
    const risk = assessRisk({
      nameCheckResult: account.nameCheck.result,
      openIncident: openIncident !== null,
      otherMerchantsUsingAccount: sharing.length,
    });
    const checks = accountChecks({
      accountType: account.accountType,
      accountNumberMasked: account.accountNumberMasked,
      warningCodes: checked.warnings.map((w) => w.code),
      binBank: bin?.bank ?? null,
      bankCode: account.bankCode,
      bankName: account.bankName,
      nameCheck: account.nameCheck,
      expectedName:
        account.nameCheck.comparedWith === 'merchant_name'
          ? merchant.name
          : merchant.legal_person_name,
      accountName: account.accountName,
      otherMerchantsUsingAccount: sharing.length,
      sameAsCurrent: current?.account_fp === accountFp,
    });
    const required = requiredDocumentTypes({
      merchantType: merchant.type,
      accountType: account.accountType,
      holderIsMerchantOrLegalPerson: account.nameCheck.result === 'match',
    });
    const consent: { channel: ConsentChannel; reference: string | null } | null = merchantUser
      ? { channel: 'merchant_console', reference: null }
      : input.consent
        ? { channel: input.consent.channel, reference: input.consent.reference?.trim() || null }
        : null;
    await tx.query(
      `INSERT INTO account_change_requests (id, merchant_no, incident_id, status, reason,
         account_number_enc, account_fp, account_number_masked, account_name, account_type,
         bank_code, bank_name, name_check, warnings, checks, required_documents, high_risk,
         risk_reasons, approvals_needed, previous_account_id, requested_by, requested_by_role,
         requested_at, consent_channel, consent_reference, consent_recorded_by,
         consent_recorded_at, attempts_left, updated_at)
       VALUES ($1, $2, $3, 'pending_approval', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
         $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $22)`,
      [
        id,
        merchant.merchant_no,
        incidentId,
        reason,
        ctx.vault.seal('account_number', account.accountNumber),
        accountFp,
        account.accountNumberMasked,
        account.accountName,
        account.accountType,
        account.bankCode,
        account.bankName,
        JSON.stringify(account.nameCheck),
        JSON.stringify(
          checked.warnings.map(({ path, code, message }) => ({ path, code, message })),
        ),
        JSON.stringify(checks),
        required,
        risk.highRisk,
        risk.riskReasons,
        risk.approvalsNeeded,
        current?.account_id ?? null,
        principal.username,
        principal.role,
        at,
        consent?.channel ?? null,
        consent?.reference ?? null,
        consent ? principal.username : null,
        consent ? at : null,
        CONFIRM_ATTEMPTS,
      ],
    );
    const attached = input.documentIds?.length
      ? await attachDocumentRows(tx, {
          requestId: id,
          merchantNo: merchant.merchant_no,
          documentIds: input.documentIds,
          actor: principal.username,
          at,
        })
      : [];
    attached.push(
      ...(await attachMerchantDocuments(tx, {
        requestId: id,
        merchantNo: merchant.merchant_no,
        actor: principal.username,
        at,
      })),
    );
    const row = await findRequest(tx, id);
    if (!row) throw new Error('account change vanished after insert');
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'account_change.requested',
        entityType: 'account_change',
        entityId: id,
        merchantNo: merchant.merchant_no,
        after: {
          ...auditView(row),
          previousAccountId: row.previous_account_id,
          documentIds: attached,
          consent: consent ? { channel: consent.channel, reference: consent.reference } : null,
        },
      },
      at,
    );
    await changeOnTimeline(tx, row, {
      kind: 'account_change_requested',
      actor: principal.username,
      at,
      text: {
        zh: `申请变更结算账户为 ${row.account_number_masked}（${row.account_name}）${
          row.high_risk ? '，高风险变更，需两名审批人' : ''
        }`,
        en: `Settlement account change requested to ${row.account_number_masked} (${row.account_name})${
          row.high_risk ? ': high-risk, needs two approvers' : ''
        }`,
      },
    });
  });
  const bundle = await loadBundle(ctx.db, id);
  if (!bundle) throw new Error('account change vanished after commit');
  return presentRequest(bundle, principal, ctx.now());
}
