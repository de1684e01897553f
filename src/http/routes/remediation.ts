/**
 * Remediation over HTTP (ADR 17): the payments an incident affected, the remediation of each
 * (re-settle, recover, refund, re-transaction), cardholder refunds paid, and the recovery cases
 * with their receipts and write-off. Handlers authenticate, read the request and call the use
 * case.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { listAffected } from '../../app/remediation/list-affected.js';
import {
  createRemediation,
  getRemediation,
  listRemediations,
  markRefundPaid,
  updateRemediation,
} from '../../app/remediation/remediations.js';
import {
  getRecoveryCase,
  listRecoveryCases,
  recordRecoveryReceipt,
  writeOffRecoveryCase,
} from '../../app/remediation/recovery.js';
import {
  AFFECTED_KINDS,
  AMOUNT_FEN_MAX,
  BANK_REFERENCE_LENGTH_MAX,
  RECOVERY_CASE_STATUSES,
  RECOVERY_REFERENCE_LENGTH_MAX,
  REMEDIATION_ACTIONS,
  REMEDIATION_NOTE_LENGTH_MAX,
  REMEDIATION_STATUSES,
  WRITE_OFF_REASON_LENGTH_MAX,
} from '../../core/remediation/remediation.js';
import { principalOf } from '../auth.js';
import { Bilingual, errorResponses, ProblemSchema } from '../schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const Money = Type.Integer({ description: 'fen' });
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const withConflict = { ...errorResponses, 409: ProblemSchema };

const RemediationRefSchema = Type.Object({
  id: Type.String(),
  action: Type.Enum(REMEDIATION_ACTIONS),
  status: Type.Enum(REMEDIATION_STATUSES),
});

const AffectedItemSchema = Type.Object({
  kind: Type.Enum(AFFECTED_KINDS),
  kindName: Bilingual,
  transactionId: Nullable(Type.String()),
  lineId: Nullable(Type.String()),
  merchantNo: Type.String(),
  terminalId: Nullable(Type.String()),
  amountFen: Money,
  occurredAt: DateTime,
  rrn: Nullable(Type.String()),
  stan: Nullable(Type.String()),
  panMasked: Nullable(Type.String()),
  accountNumberMasked: Nullable(Type.String()),
  lineStatus: Nullable(Type.String()),
  released: Type.Boolean(),
  remediation: Nullable(RemediationRefSchema),
  remediations: Type.Array(RemediationRefSchema),
});

const Total = Type.Object({ count: Type.Integer(), amountFen: Money });

const AffectedListSchema = Type.Object({
  items: Type.Array(AffectedItemSchema),
  totals: Type.Object({
    settled_to_wrong_account: Total,
    payout_returned: Total,
    customer_saw_failure: Total,
    all: Total,
    remediated: Type.Integer(),
    unremediated: Type.Integer(),
  }),
});

export const RemediationSchema = Type.Object(
  {
    id: Type.String(),
    incidentId: Type.String(),
    merchantNo: Type.String(),
    kind: Type.Enum(AFFECTED_KINDS),
    transactionId: Nullable(Type.String()),
    lineId: Nullable(Type.String()),
    action: Type.Enum(REMEDIATION_ACTIONS),
    actionName: Bilingual,
    status: Type.Enum(REMEDIATION_STATUSES),
    owner: Nullable(Type.String({ description: 'null for merchant users' })),
    dueDate: Nullable(Type.String()),
    note: Nullable(Type.String({ description: 'null for merchant users' })),
    amountFen: Money,
    rrn: Nullable(Type.String()),
    stan: Nullable(Type.String({ description: 'The voucher number (凭证号)' })),
    panMasked: Nullable(Type.String()),
    accountNumberMasked: Nullable(Type.String()),
    unassigned: Type.Boolean({
      description: 'Open or in progress without an owner or a due date: resolving is refused',
    }),
    overdue: Type.Boolean(),
    recoveryCaseId: Nullable(Type.String()),
    retransactionId: Nullable(Type.String()),
    settledInLineId: Nullable(
      Type.String({ description: 'resettle: the settlement line that took the money' }),
    ),
    journalId: Nullable(Type.String()),
    refund: Nullable(
      Type.Object({
        id: Type.String(),
        transactionId: Nullable(Type.String()),
        rrn: Nullable(Type.String()),
        stan: Nullable(Type.String()),
        panMasked: Nullable(Type.String()),
        amountFen: Money,
        status: Type.String(),
        bankReference: Nullable(Type.String()),
        paidAt: Nullable(DateTime),
        paidBy: Nullable(Type.String()),
      }),
    ),
    createdBy: Type.String(),
    createdAt: DateTime,
    updatedAt: DateTime,
    updates: Type.Array(
      Type.Object({
        at: DateTime,
        by: Type.String(),
        status: Nullable(Type.String()),
        owner: Nullable(Type.String()),
        dueDate: Nullable(Type.String()),
        note: Nullable(Type.String()),
      }),
    ),
  },
  { $id: 'Remediation' },
);

export const RecoveryCaseSchema = Type.Object(
  {
    id: Type.String(),
    incidentId: Type.String(),
    merchantNo: Type.String(),
    status: Type.Enum(RECOVERY_CASE_STATUSES),
    accountNumberMasked: Nullable(Type.String()),
    accountName: Nullable(Type.String()),
    amountFen: Type.Integer({
      description:
        'fen claimed from the wrong holder: per payment, what was advanced when re-settled or refunded first, else the payment',
    }),
    advancedFen: Type.Integer({
      description: 'fen the acquirer advanced on its payments (re-settled or refunded)',
    }),
    recoveredFen: Money,
    passedThroughFen: Type.Integer({
      description:
        'fen of recoveredFen beyond what was advanced: the merchant’s own money, paid in its next run',
    }),
    writtenOffFen: Money,
    receivableFen: Type.Integer({
      description:
        'fen advanced and not yet paid back or written off (misrouted_receivable of the case)',
    }),
    outstandingFen: Type.Integer({
      description: 'open: amount − recovered − written off; 0 once closed',
    }),
    abandonedFen: Type.Integer({
      description:
        'closed: the part of the claim neither received nor written off (never advanced); 0 while open',
    }),
    remediationIds: Type.Array(Type.String()),
    receipts: Type.Array(
      Type.Object({
        id: Type.String(),
        amountFen: Money,
        passedThroughFen: Money,
        settledInLineId: Nullable(
          Type.String({ description: 'the settlement line that took the passed-through part' }),
        ),
        reference: Type.String(),
        recordedBy: Type.String(),
        recordedAt: DateTime,
      }),
    ),
    writeOff: Nullable(
      Type.Object({
        reason: Type.String(),
        amountFen: Money,
        by: Type.String(),
        at: DateTime,
      }),
    ),
    closedAt: Nullable(DateTime),
    createdBy: Type.String(),
    createdAt: DateTime,
  },
  { $id: 'RecoveryCase' },
);

export function remediationRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addSchema(RemediationSchema);
    app.addSchema(RecoveryCaseSchema);

    app.get(
      '/api/v1/incidents/:id/affected-transactions',
      {
        schema: {
          tags: ['remediation'],
          summary:
            'The payments the incident affected: settled to the wrong account, payouts returned, payments the customer saw fail; each with its remediations (staff; merchant users their own incidents)',
          params: IdParams,
          response: { 200: AffectedListSchema, ...errorResponses },
        },
      },
      async (request) => listAffected(ctx, principalOf(request), request.params.id),
    );

    app.get(
      '/api/v1/incidents/:id/remediations',
      {
        schema: {
          tags: ['remediation'],
          summary:
            'The remediations of the incident (staff; merchant users their own incidents, without owners or notes)',
          params: IdParams,
          response: {
            200: Type.Object({ items: Type.Array(Type.Ref('Remediation')) }),
            ...errorResponses,
          },
        },
      },
      async (request) => listRemediations(ctx, principalOf(request), request.params.id),
    );

    app.post(
      '/api/v1/incidents/:id/remediations',
      {
        schema: {
          tags: ['remediation'],
          summary:
            'Open a remediation of an affected payment (admin, risk, ops): resettle, recover (before or after an advance), refund or retransaction. 409 remediation_exists, remediation_conflict (resettled and refunded), remediation_not_applicable, recovery_passed_through (the payment’s recovery case already paid the merchant that much), recovery_case_closed (its recovery case is closed); 404 when the payment is not affected by the incident',
          params: IdParams,
          body: Type.Object({
            transactionId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            lineId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            action: Type.Enum(REMEDIATION_ACTIONS),
            owner: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            dueDate: Type.Optional(Type.String({ minLength: 10, maxLength: 10 })),
            note: Type.Optional(Type.String({ maxLength: REMEDIATION_NOTE_LENGTH_MAX })),
            amountFen: Type.Optional(
              Type.Integer({
                minimum: 1,
                maximum: AMOUNT_FEN_MAX,
                description:
                  'resettle or refund: less than the whole payment (default: the whole payment, less what its recovery case already passed through to the merchant)',
              }),
            ),
          }),
          response: { 201: Type.Ref('Remediation'), ...withConflict },
        },
      },
      async (request, reply) => {
        const created = await createRemediation(
          ctx,
          principalOf(request),
          request.params.id,
          request.body,
        );
        return reply.code(201).send(created);
      },
    );

    app.get(
      '/api/v1/remediations/:id',
      {
        schema: {
          tags: ['remediation'],
          summary: 'One remediation with its history',
          params: IdParams,
          response: { 200: Type.Ref('Remediation'), ...errorResponses },
        },
      },
      async (request) => getRemediation(ctx, principalOf(request), request.params.id),
    );

    app.post(
      '/api/v1/remediations/:id',
      {
        schema: {
          tags: ['remediation'],
          summary:
            'Change a remediation (admin, risk, ops): owner, due date, status, note; retransactionId names the customer’s new payment (and completes it). 409 remediation_incomplete, invalid_state, remediation_conflict',
          params: IdParams,
          body: Type.Object({
            owner: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            dueDate: Type.Optional(Type.String({ minLength: 10, maxLength: 10 })),
            status: Type.Optional(Type.Enum(REMEDIATION_STATUSES)),
            note: Type.Optional(Type.String({ maxLength: REMEDIATION_NOTE_LENGTH_MAX })),
            retransactionId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          }),
          response: { 200: Type.Ref('Remediation'), ...withConflict },
        },
      },
      async (request) =>
        updateRemediation(ctx, principalOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/v1/remediations/:id/refund-paid',
      {
        schema: {
          tags: ['remediation'],
          summary:
            'Record that a cardholder refund was paid, with the bank reference (admin, ops); the remediation is done',
          params: IdParams,
          body: Type.Object({
            bankReference: Type.String({ minLength: 1, maxLength: BANK_REFERENCE_LENGTH_MAX }),
          }),
          response: { 200: Type.Ref('Remediation'), ...withConflict },
        },
      },
      async (request) => markRefundPaid(ctx, principalOf(request), request.params.id, request.body),
    );

    app.get(
      '/api/v1/incidents/:id/recovery-cases',
      {
        schema: {
          tags: ['remediation'],
          summary:
            'Recovery cases of the incident against the holders of wrong accounts (staff; merchant users only cases against their own accounts)',
          params: IdParams,
          response: {
            200: Type.Object({ items: Type.Array(Type.Ref('RecoveryCase')) }),
            ...errorResponses,
          },
        },
      },
      async (request) => listRecoveryCases(ctx, principalOf(request), request.params.id),
    );

    app.get(
      '/api/v1/recovery-cases/:id',
      {
        schema: {
          tags: ['remediation'],
          summary: 'One recovery case',
          params: IdParams,
          response: { 200: Type.Ref('RecoveryCase'), ...errorResponses },
        },
      },
      async (request) => getRecoveryCase(ctx, principalOf(request), request.params.id),
    );

    app.post(
      '/api/v1/recovery-cases/:id/receipts',
      {
        schema: {
          tags: ['remediation'],
          summary:
            'Record money received back from the wrong account’s holder (admin, risk, ops): it pays back what was advanced first, the rest is passed to the merchant’s next run. 409 recovery_amount_exceeded, recovery_case_closed',
          params: IdParams,
          body: Type.Object({
            amountFen: Type.Integer({ minimum: 1, maximum: AMOUNT_FEN_MAX }),
            reference: Type.String({ minLength: 1, maxLength: RECOVERY_REFERENCE_LENGTH_MAX }),
          }),
          response: { 201: Type.Ref('RecoveryCase'), ...withConflict },
        },
      },
      async (request, reply) => {
        const updated = await recordRecoveryReceipt(
          ctx,
          principalOf(request),
          request.params.id,
          request.body,
        );
        return reply.code(201).send(updated);
      },
    );

    app.post(
      '/api/v1/recovery-cases/:id/write-off',
      {
        schema: {
          tags: ['remediation'],
          summary:
            'Close the case with a reason (admin, risk, approver): what was advanced and is still owed is written off (possibly nothing); the rest of the claim, never advanced, is given up. 409 recovery_case_closed',
          params: IdParams,
          body: Type.Object({
            reason: Type.String({ minLength: 1, maxLength: WRITE_OFF_REASON_LENGTH_MAX }),
          }),
          response: { 200: Type.Ref('RecoveryCase'), ...withConflict },
        },
      },
      async (request) =>
        writeOffRecoveryCase(ctx, principalOf(request), request.params.id, request.body),
    );
  };
}
