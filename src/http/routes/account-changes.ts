/**
 * Account changes over HTTP (API.md "Account changes"): ask, read (one, a merchant's, the
 * queue), attach documents, record consent, approve, reject, cancel, start a verification and
 * confirm a micro-deposit. Handlers authenticate, read the request and call the use case.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { requestAccountChange } from '../../app/account-changes/request-change.js';
import {
  getAccountChange,
  listAccountChanges,
  listMerchantAccountChanges,
} from '../../app/account-changes/queries.js';
import {
  approveChange,
  attachDocuments,
  cancelChange,
  recordConsent,
  rejectChange,
} from '../../app/account-changes/actions.js';
import { confirmMicroDeposit, startVerification } from '../../app/account-changes/verification.js';
import {
  DEFAULT_ACCOUNT_CHANGE_POLICY,
  DOCUMENT_IDS_MAX,
  type AccountChangePolicy,
} from '../../app/account-changes/policy.js';
import {
  ACTIONS,
  CONSENT_CHANNELS,
  RISK_REASONS,
  STATUSES,
  VERIFICATION_METHODS,
  VERIFICATION_STATUSES,
} from '../../core/account-changes/index.js';
import { ACCOUNT_TYPES } from '../../core/registry.js';
import type { SettlementPolicy } from '../../core/settlement/policy.js';
import { principalOf } from '../auth.js';
import {
  Bilingual,
  Cursor,
  errorResponses,
  ListLimit,
  NameCheckSchema,
  ProblemSchema,
} from '../schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const MerchantNoParams = Type.Object({ merchantNo: Type.String({ pattern: '^[0-9]{15}$' }) });
const Reason = Type.String({ minLength: 1, maxLength: 500 });
const DocumentIds = Type.Array(Type.String({ maxLength: 64 }), { maxItems: DOCUMENT_IDS_MAX });
const ConsentBody = Type.Object({
  channel: Type.Enum(CONSENT_CHANNELS),
  reference: Type.Optional(Type.String({ maxLength: 200 })),
});

export const AccountChangeSchema = Type.Object({
  id: Type.String(),
  merchantNo: Type.String(),
  merchantName: Nullable(Type.String()),
  incidentId: Nullable(Type.String()),
  status: Type.Enum(STATUSES),
  reason: Type.String(),
  requestedBy: Type.String({ description: 'For merchant users, staff appear as `acquirer`' }),
  requestedAt: DateTime,
  account: Type.Object({
    accountNumberMasked: Type.String(),
    accountName: Type.String(),
    accountType: Type.Enum(ACCOUNT_TYPES),
    bankName: Nullable(Type.String()),
    bankCode: Nullable(Type.String()),
  }),
  previousAccount: Nullable(
    Type.Object({
      accountId: Type.String(),
      accountNumberMasked: Type.String(),
      accountName: Type.String(),
    }),
  ),
  nameCheck: NameCheckSchema,
  checks: Type.Array(
    Type.Object({
      code: Type.String(),
      result: Type.Enum(['pass', 'warn', 'fail'] as const),
      message: Bilingual,
    }),
  ),
  highRisk: Type.Boolean({ description: 'Needs two different approvers' }),
  riskReasons: Type.Array(Type.Enum(RISK_REASONS)),
  requiredDocuments: Type.Array(Type.String(), {
    description: 'Document types still missing (none accepted or waiting for review, unexpired)',
  }),
  documentsNeeded: Type.Array(Type.String(), { description: 'Every type this change needs' }),
  documents: Type.Array(
    Type.Object({
      id: Type.String(),
      type: Type.String(),
      status: Type.String(),
      fileName: Type.String(),
      uploadedAt: DateTime,
      reviewedAt: Nullable(DateTime),
      reviewNote: Nullable(Type.String()),
      expiresOn: Nullable(Type.String({ format: 'date' })),
      expired: Type.Boolean(),
    }),
  ),
  consent: Nullable(
    Type.Object({
      channel: Type.Enum(CONSENT_CHANNELS),
      reference: Nullable(Type.String()),
      recordedBy: Type.String(),
      recordedAt: DateTime,
    }),
  ),
  approvals: Type.Array(
    Type.Object({ by: Type.String(), at: DateTime, note: Nullable(Type.String()) }),
  ),
  approvalsNeeded: Type.Integer(),
  rejection: Nullable(Type.Object({ by: Type.String(), at: DateTime, reason: Type.String() })),
  cancellation: Nullable(Type.Object({ by: Type.String(), at: DateTime, reason: Type.String() })),
  verification: Nullable(
    Type.Object({
      id: Type.String(),
      method: Type.Enum(VERIFICATION_METHODS),
      status: Type.Enum(VERIFICATION_STATUSES),
      attemptsLeft: Type.Integer(),
      startedAt: DateTime,
      sentAt: Nullable(DateTime),
      runId: Nullable(
        Type.String({ description: 'The run whose payout file carried the deposit' }),
      ),
      terminalId: Nullable(Type.String()),
      amountToKeyFen: Nullable(
        Type.Integer({
          description:
            'Test transaction only: the amount to key in on the terminal. A micro-deposit amount is never shown.',
        }),
      ),
    }),
  ),
  verifiedAt: Nullable(DateTime),
  lockedAt: Nullable(DateTime),
  completedAt: Nullable(DateTime),
  newAccountId: Nullable(Type.String()),
  allowedActions: Type.Array(Type.Enum(ACTIONS)),
  approveBlockedBy: Nullable(
    Type.String({
      description:
        'For an approver: why an approval would be refused now (four_eyes_violation, documents_missing, consent_missing, invalid_state)',
    }),
  ),
});

/** A POST sent without a body takes every default: the body is an empty object. */
async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}

const conflict = { ...errorResponses, 409: ProblemSchema };
const ok = { 200: AccountChangeSchema, ...conflict };

export function accountChangeRoutes(
  ctx: AppContext,
  options: { settlementPolicy: SettlementPolicy; policy?: AccountChangePolicy },
): FastifyPluginAsyncTypebox {
  const policy = options.policy ?? DEFAULT_ACCOUNT_CHANGE_POLICY;
  const verification = { coolingOffHours: options.settlementPolicy.coolingOffHours };
  return async (app) => {
    app.post(
      '/api/v1/merchants/:merchantNo/account-changes',
      {
        schema: {
          tags: ['account-changes'],
          summary:
            "Ask for a new settlement account: every registry check listed, the documents it needs, risk, velocity limit (409 velocity_limit), one at a time (409 account_change_in_progress). A merchant user's request is its consent.",
          params: MerchantNoParams,
          body: Type.Object({
            accountNumber: Type.String({ maxLength: 64 }),
            accountName: Type.String({ maxLength: 400 }),
            accountType: Type.Enum(ACCOUNT_TYPES),
            bankCode: Type.Optional(Type.String({ maxLength: 32 })),
            bankName: Type.Optional(Type.String({ maxLength: 120 })),
            reason: Reason,
            incidentId: Type.Optional(Type.String({ maxLength: 64 })),
            documentIds: Type.Optional(DocumentIds),
            consent: Type.Optional(ConsentBody),
          }),
          response: { 201: AccountChangeSchema, ...conflict, 413: ProblemSchema },
        },
      },
      async (request, reply) => {
        const view = await requestAccountChange(ctx, principalOf(request), policy, {
          ...request.body,
          merchantNo: request.params.merchantNo,
        });
        return reply.code(201).send(view);
      },
    );

    app.get(
      '/api/v1/merchants/:merchantNo/account-changes',
      {
        schema: {
          tags: ['account-changes'],
          summary: "A merchant's account changes, newest first",
          params: MerchantNoParams,
          querystring: Type.Object({ limit: ListLimit, cursor: Cursor }),
          response: {
            200: Type.Object({
              items: Type.Array(AccountChangeSchema),
              nextCursor: Type.Optional(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) =>
        listMerchantAccountChanges(
          ctx,
          principalOf(request),
          request.params.merchantNo,
          request.query,
        ),
    );

    app.get(
      '/api/v1/account-changes',
      {
        schema: {
          tags: ['account-changes'],
          summary: 'The queue of account changes, newest first, by status and merchant',
          querystring: Type.Object({
            status: Type.Optional(Type.Enum(STATUSES)),
            merchantNo: Type.Optional(Type.String({ pattern: '^[0-9]{15}$' })),
            limit: ListLimit,
            cursor: Cursor,
          }),
          response: {
            200: Type.Object({
              items: Type.Array(AccountChangeSchema),
              nextCursor: Type.Optional(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => listAccountChanges(ctx, principalOf(request), request.query),
    );

    app.get(
      '/api/v1/account-changes/:id',
      {
        schema: {
          tags: ['account-changes'],
          summary: 'One account change, with the actions the caller may take',
          params: IdParams,
          response: { 200: AccountChangeSchema, ...errorResponses },
        },
      },
      async (request) =>
        getAccountChange(ctx, principalOf(request), request.params.id, verification),
    );

    app.post(
      '/api/v1/account-changes/:id/documents',
      {
        schema: {
          tags: ['account-changes'],
          summary:
            'Attach documents of the merchant (uploaded with POST /merchants/{no}/documents)',
          params: IdParams,
          body: Type.Object({ documentIds: DocumentIds }),
          response: { ...ok, 413: ProblemSchema },
        },
      },
      async (request) =>
        attachDocuments(ctx, principalOf(request), request.params.id, request.body.documentIds),
    );

    app.post(
      '/api/v1/account-changes/:id/consent',
      {
        schema: {
          tags: ['account-changes'],
          summary:
            "Record the merchant's consent: a signed form or a recorded call (with its reference), or the merchant in its console",
          params: IdParams,
          body: ConsentBody,
          response: ok,
        },
      },
      async (request) => recordConsent(ctx, principalOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/v1/account-changes/:id/approve',
      {
        schema: {
          tags: ['account-changes'],
          summary:
            'Approve (approver, admin; never the requester: 403 four_eyes_violation). Needs every required document accepted (409 documents_missing) and consent (409 consent_missing); a high-risk change needs two different approvers.',
          params: IdParams,
          body: Type.Optional(
            Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }),
          ),
          response: ok,
        },
      },
      async (request) => approveChange(ctx, principalOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/v1/account-changes/:id/reject',
      {
        schema: {
          tags: ['account-changes'],
          summary:
            'Reject with a reason the merchant sees (approver, admin; not the requester); `note` is taken as the reason when `reason` is not given',
          params: IdParams,
          body: Type.Object({ reason: Type.Optional(Reason), note: Type.Optional(Reason) }),
          response: ok,
        },
      },
      async (request) => rejectChange(ctx, principalOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/v1/account-changes/:id/cancel',
      {
        schema: {
          tags: ['account-changes'],
          summary: 'Cancel a change in progress, with a reason',
          params: IdParams,
          body: Type.Object({ reason: Reason }),
          response: ok,
        },
      },
      async (request) => cancelChange(ctx, principalOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/v1/account-changes/:id/verification',
      {
        schema: {
          tags: ['account-changes'],
          summary:
            "Start verifying the approved account: a micro-deposit (0.01–0.99 yuan in the next payout file; default) or a test transaction (an amount to key in on one of the merchant's active terminals)",
          params: IdParams,
          body: Type.Object({
            method: Type.Optional(Type.Enum(VERIFICATION_METHODS)),
            terminalId: Type.Optional(Type.String({ maxLength: 16 })),
          }),
          response: ok,
        },
        preValidation: emptyBodyAsObject,
      },
      async (request) =>
        startVerification(ctx, principalOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/v1/account-changes/:id/verification/confirm',
      {
        schema: {
          tags: ['account-changes'],
          summary:
            'Confirm the micro-deposit amount once it has gone out (409 verification_not_sent before); three wrong amounts lock the change. Matched: the change completes.',
          params: IdParams,
          body: Type.Object({ amountFen: Type.Integer({ minimum: 1, maximum: 99 }) }),
          response: {
            200: Type.Object({
              matched: Type.Boolean(),
              attemptsLeft: Type.Integer(),
              status: Type.Enum(STATUSES),
            }),
            ...conflict,
          },
        },
      },
      async (request) =>
        confirmMicroDeposit(
          ctx,
          principalOf(request),
          verification,
          request.params.id,
          request.body,
        ),
    );
  };
}
