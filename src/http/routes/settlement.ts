/**
 * Settlement over HTTP: runs and their lines, the payout file, bank results, releasing held
 * money, a merchant's settlement balance and lines, and money on hold by reason. Handlers only
 * authenticate, validate and call the use case; the shapes are the TypeBox schemas below.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { createRun } from '../../app/settlement/create-run.js';
import {
  heldByReason,
  listLines,
  listMerchantLines,
  listRunLines,
  listRuns,
  merchantSettlementBalance,
  runWithLines,
} from '../../app/settlement/queries.js';
import { payoutFile } from '../../app/settlement/payout-file.js';
import { recordResults } from '../../app/settlement/record-results.js';
import { releaseHold } from '../../app/settlement/release-hold.js';
import type { SettlementPolicy } from '../../core/settlement/policy.js';
import { LINE_STATUSES } from '../../core/settlement/screening.js';
import { RETURN_CODES } from '../../core/settlement/returns.js';
import { principalOf } from '../auth.js';
import { Bilingual, Cursor, errorResponses, ListLimit, ProblemSchema } from '../schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Fen = Type.Integer();
const CycleSchema = Type.Union([Type.Literal('T1'), Type.Literal('D1'), Type.Literal('D0')], {
  description: 'T1: next working day; D1: next calendar day; D0: same day',
});
const DateTime = Type.String({ format: 'date-time' });
const MerchantNoParams = Type.Object({ merchantNo: Type.String({ pattern: '^[0-9]{15}$' }) });
const RunIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const SettlementLineSchema = Type.Object(
  {
    id: Type.String(),
    runId: Type.String(),
    merchantNo: Type.String(),
    businessDate: Type.String({ format: 'date' }),
    transactionCount: Type.Integer(),
    lateTransactionCount: Type.Integer({
      description: 'Transactions of earlier dates that arrived after their run, settled here',
    }),
    lateNetFen: Type.Integer({ description: 'Their net, part of netFen' }),
    purchasesFen: Fen,
    deductionsFen: Type.Integer({ description: 'Refunds, reversals and voids of the day' }),
    netFen: Fen,
    feeRatePpm: Type.Integer({ description: 'Fee rate in parts per million (0.6 % = 6000)' }),
    feeFen: Fen,
    releasedInFen: Type.Integer({ description: 'Released held money of earlier lines taken in' }),
    carriedInFen: Type.Integer({
      description: 'Zero or negative amounts of earlier lines taken in',
    }),
    amountFen: Type.Integer({ description: 'netFen − feeFen + releasedInFen + carriedInFen' }),
    status: Type.Union(LINE_STATUSES.map((s) => Type.Literal(s))),
    holdReasons: Type.Array(Type.String(), {
      description:
        'merchant_unknown | account_missing | account_changed | account_not_active | account_not_verified | account_name_mismatch | account_cooling_off | shared_account | settlement_hold | open_incident',
    }),
    accountId: Nullable(Type.String()),
    accountNumberMasked: Nullable(Type.String()),
    accountName: Nullable(Type.String()),
    bankName: Nullable(Type.String()),
    releaseId: Nullable(
      Type.String({ description: 'Set once held or returned money is released' }),
    ),
    absorbedByLineId: Nullable(Type.String({ description: 'The later line that took this money' })),
    paidAt: Nullable(DateTime),
    returnedAt: Nullable(DateTime),
    returnCode: Nullable(Type.Union(RETURN_CODES.map((c) => Type.Literal(c)))),
    returnText: Nullable(Type.String({ description: "The bank's own words" })),
    createdAt: DateTime,
  },
  { $id: 'SettlementLine' },
);

const RunTotalsSchema = Type.Object({
  lines: Type.Integer(),
  readyCount: Type.Integer(),
  readyFen: Fen,
  heldCount: Type.Integer(),
  heldFen: Fen,
  carriedCount: Type.Integer(),
  carriedFen: Fen,
  paidCount: Type.Integer(),
  paidFen: Fen,
  returnedCount: Type.Integer(),
  returnedFen: Fen,
  netFen: Fen,
  feesFen: Fen,
});

const RunSchema = Type.Object({
  id: Type.String(),
  businessDate: Type.String({ format: 'date' }),
  cycle: CycleSchema,
  trigger: Type.Union([Type.Literal('manual'), Type.Literal('scheduled')]),
  periodStart: DateTime,
  periodEnd: DateTime,
  cutoffAt: DateTime,
  createdBy: Type.String(),
  createdAt: DateTime,
  totals: RunTotalsSchema,
});

const RunWithLinesSchema = Type.Intersect([
  RunSchema,
  Type.Object({
    lines: Type.Array(Type.Ref('SettlementLine'), {
      description: 'The first 500 lines by merchant number; page on with /lines',
    }),
    linesNextCursor: Type.Optional(Type.String()),
  }),
]);

const LinePage = Type.Object({
  items: Type.Array(Type.Ref('SettlementLine')),
  nextCursor: Type.Optional(Type.String()),
});

export function settlementRoutes(
  ctx: AppContext,
  options: { policy: SettlementPolicy },
): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addSchema(SettlementLineSchema);

    app.post(
      '/api/v1/settlement-runs',
      {
        schema: {
          tags: ['settlement'],
          summary:
            'Settle a business date: one screened line per merchant of the cycle; the same date and cycle again answers the first run (200)',
          body: Type.Object({
            businessDate: Type.String({ format: 'date' }),
            cycle: Type.Optional(CycleSchema),
          }),
          response: { 200: RunWithLinesSchema, 201: RunWithLinesSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const outcome = await createRun(ctx, principal, options.policy, {
          businessDate: request.body.businessDate,
          ...(request.body.cycle ? { cycle: request.body.cycle } : {}),
          trigger: 'manual',
        });
        const body = await runWithLines(ctx, principal, outcome.run.id);
        return reply.code(outcome.created ? 201 : 200).send(body);
      },
    );

    app.get(
      '/api/v1/settlement-runs',
      {
        schema: {
          tags: ['settlement'],
          summary: 'Settlement runs, newest first, with their totals',
          querystring: Type.Object({ limit: ListLimit, cursor: Cursor }),
          response: {
            200: Type.Object({
              items: Type.Array(RunSchema),
              nextCursor: Type.Optional(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => listRuns(ctx, principalOf(request), request.query),
    );

    app.get(
      '/api/v1/settlement-runs/:id',
      {
        schema: {
          tags: ['settlement'],
          summary: 'One run with its totals and first 500 lines',
          params: RunIdParams,
          response: { 200: RunWithLinesSchema, ...errorResponses },
        },
      },
      async (request) => runWithLines(ctx, principalOf(request), request.params.id),
    );

    app.get(
      '/api/v1/settlement-runs/:id/lines',
      {
        schema: {
          tags: ['settlement'],
          summary: "A run's lines by merchant number, paged, optionally of one status or merchant",
          params: RunIdParams,
          querystring: Type.Object({
            status: Type.Optional(Type.Union(LINE_STATUSES.map((s) => Type.Literal(s)))),
            merchantNo: Type.Optional(Type.String({ maxLength: 32 })),
            limit: ListLimit,
            cursor: Cursor,
          }),
          response: { 200: LinePage, ...errorResponses },
        },
      },
      async (request) => listRunLines(ctx, principalOf(request), request.params.id, request.query),
    );

    app.get(
      '/api/v1/settlement-runs/:id/payout-file',
      {
        schema: {
          tags: ['settlement'],
          summary:
            'The payout file (CSV, UTF-8) of the ready lines, with full account numbers: admin and ops only, audited. Ready lines are screened again first; a line that no longer passes becomes held.',
          params: RunIdParams,
          produces: ['text/csv'],
          response: {
            200: Type.String({
              description:
                'CSV: 序号,明细号,商户号,收款账号,收款户名,账户类型,联行号,开户行,金额,币种,用途',
            }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const file = await payoutFile(ctx, principalOf(request), options.policy, request.params.id);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${file.filename}"`)
          .header('cache-control', 'no-store')
          .header('x-settleguard-line-count', String(file.lineCount))
          .header('x-settleguard-total-fen', String(file.totalFen))
          .header('x-settleguard-held-now', String(file.heldNow.length))
          .send(file.csv);
      },
    );

    app.post(
      '/api/v1/settlement-results',
      {
        schema: {
          tags: ['settlement'],
          summary:
            "The bank's answers, up to 1,000 a call: paid, or returned with the bank's reason. The same answer twice is unchanged.",
          body: Type.Object({
            results: Type.Array(
              Type.Object({
                lineId: Type.String({ maxLength: 64 }),
                status: Type.Union([Type.Literal('paid'), Type.Literal('returned')]),
                reason: Type.Optional(Type.String({ maxLength: 500 })),
                bankReference: Type.Optional(Type.String({ maxLength: 64 })),
              }),
            ),
          }),
          response: {
            200: Type.Object({
              applied: Type.Integer(),
              unchanged: Type.Integer(),
              rejected: Type.Integer(),
              results: Type.Array(
                Type.Object({
                  lineId: Type.String(),
                  merchantNo: Type.Optional(Type.String()),
                  amountFen: Type.Optional(Fen),
                  outcome: Type.Union([
                    Type.Literal('applied'),
                    Type.Literal('unchanged'),
                    Type.Literal('rejected'),
                  ]),
                  lineStatus: Type.Optional(Type.String()),
                  returnCode: Type.Optional(Type.String({ description: RETURN_CODES.join(' | ') })),
                  incidentId: Type.Optional(Type.String()),
                  error: Type.Optional(
                    Type.Object({ code: Type.String(), message: Type.String() }),
                  ),
                }),
              ),
            }),
            413: ProblemSchema,
            ...errorResponses,
          },
        },
      },
      async (request) => recordResults(ctx, principalOf(request), request.body.results),
    );

    app.post(
      '/api/v1/merchants/:merchantNo/settlement-hold/release',
      {
        schema: {
          tags: ['settlement'],
          summary:
            "Release a merchant's held money (admin, approver): 409 no_verified_account, open_containment or nothing_held when it may not",
          params: MerchantNoParams,
          body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }),
          response: {
            200: Type.Object({
              id: Type.String(),
              merchantNo: Type.String(),
              holdId: Nullable(Type.String()),
              amountFen: Fen,
              lineCount: Type.Integer(),
              reason: Type.String(),
              releasedBy: Type.String(),
              releasedAt: DateTime,
            }),
            409: ProblemSchema,
            ...errorResponses,
          },
        },
      },
      async (request) =>
        releaseHold(ctx, principalOf(request), {
          merchantNo: request.params.merchantNo,
          reason: request.body.reason,
        }),
    );

    app.get(
      '/api/v1/merchants/:merchantNo/settlement-balance',
      {
        schema: {
          tags: ['settlement'],
          summary:
            "A merchant's money from the ledger: pending, held, released, in flight, paid, returned",
          params: MerchantNoParams,
          response: {
            200: Type.Object({
              merchantNo: Type.String(),
              pendingFen: Type.Integer({
                description: 'Owed, not yet in a payout (may be negative after refunds)',
              }),
              heldFen: Fen,
              releasedFen: Type.Integer({ description: 'Released, going out on the next run' }),
              inFlightFen: Fen,
              paidFen: Type.Integer({ description: 'Paid and not returned' }),
              returnedFen: Type.Integer({
                description: 'Returned and still held (part of heldFen)',
              }),
              unsettledFen: Type.Integer({
                description: 'Approved transactions (net, before fees) no run has taken yet',
              }),
              unsettledTransactionCount: Type.Integer(),
              feesFen: Fen,
              capturedFen: Fen,
              hold: Nullable(
                Type.Object({
                  id: Type.String(),
                  reason: Type.String(),
                  placedAt: DateTime,
                  placedBy: Type.String(),
                  incidentId: Nullable(Type.String()),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) =>
        merchantSettlementBalance(ctx, principalOf(request), request.params.merchantNo),
    );

    app.get(
      '/api/v1/merchants/:merchantNo/settlement-lines',
      {
        schema: {
          tags: ['settlement'],
          summary: "A merchant's settlement lines, newest business date first",
          params: MerchantNoParams,
          querystring: Type.Object({ limit: ListLimit, cursor: Cursor }),
          response: { 200: LinePage, ...errorResponses },
        },
      },
      async (request) =>
        listMerchantLines(ctx, principalOf(request), request.params.merchantNo, request.query),
    );

    app.get(
      '/api/v1/settlement-lines',
      {
        schema: {
          tags: ['settlement'],
          summary:
            'Lines across runs, newest business date first: by status, hold reason (settlement_returned for returns), merchant, or only money on hold',
          querystring: Type.Object({
            status: Type.Optional(Type.Union(LINE_STATUSES.map((s) => Type.Literal(s)))),
            reason: Type.Optional(Type.String({ maxLength: 40 })),
            merchantNo: Type.Optional(Type.String({ maxLength: 32 })),
            onHold: Type.Optional(Type.Boolean()),
            limit: ListLimit,
            cursor: Cursor,
          }),
          response: { 200: LinePage, ...errorResponses },
        },
      },
      async (request) => listLines(ctx, principalOf(request), request.query),
    );

    app.get(
      '/api/v1/settlement-holds/summary',
      {
        schema: {
          tags: ['settlement'],
          summary:
            'Money on hold by reason (held and returned lines not released); a line held for two reasons counts under each, totalFen once',
          response: {
            200: Type.Object({
              totalFen: Fen,
              lineCount: Type.Integer(),
              merchantCount: Type.Integer(),
              items: Type.Array(
                Type.Object({
                  reason: Type.String(),
                  name: Bilingual,
                  lineCount: Type.Integer(),
                  merchantCount: Type.Integer(),
                  amountFen: Fen,
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => heldByReason(ctx, principalOf(request)),
    );
  };
}
