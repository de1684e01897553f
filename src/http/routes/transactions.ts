import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { authorise } from '../../app/context.js';
import { ingestTransactions } from '../../app/ingest/ingest-transactions.js';
import { getTransaction, listTransactions } from '../../app/transactions/queries.js';
import { DomainError } from '../../core/errors.js';
import { authorizeCheck } from '../../core/screening/authorize.js';
import type { ScreeningPolicy } from '../../core/screening/policy.js';
import { DECISIONS } from '../../core/transaction.js';
import { principalOf } from '../auth.js';
import { AUTHORIZE_CHECK_PATH, MERCHANT_NO_MAX, TERMINAL_ID_MAX } from '../authorize-fast-path.js';
import { Cursor, errorResponses, ListLimit, ProblemSchema, TransactionSchema } from '../schemas.js';

/** 1,000 transactions of a few hundred bytes each fit well inside this. */
const INGEST_BODY_BYTES_MAX = 4 * 1024 * 1024;

export function transactionRoutes(
  ctx: AppContext,
  options: { policy: ScreeningPolicy },
): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/v1/transactions',
      {
        bodyLimit: INGEST_BODY_BYTES_MAX,
        schema: {
          tags: ['transactions'],
          summary:
            'Ingest up to 1,000 transactions: each validated, screened and stored on its own; a 200 means every accepted one is durable',
          // Transactions are checked one by one, so that a bad one is refused with its code
          // and the rest of the batch is still taken.
          body: Type.Object({ transactions: Type.Array(Type.Unknown()) }),
          response: {
            200: Type.Object({
              results: Type.Array(
                Type.Object({
                  id: Type.Union([Type.String(), Type.Null()]),
                  outcome: Type.String(),
                  decision: Type.Optional(Type.String()),
                  alerts: Type.Optional(Type.Array(Type.String())),
                  error: Type.Optional(
                    Type.Object({
                      code: Type.String(),
                      message: Type.String(),
                      errors: Type.Array(
                        Type.Object({
                          path: Type.String(),
                          code: Type.String(),
                          message: Type.String(),
                        }),
                      ),
                    }),
                  ),
                }),
              ),
            }),
            413: ProblemSchema,
            ...errorResponses,
          },
        },
      },
      async (request) => ({
        results: await ingestTransactions(ctx, principalOf(request), request.body.transactions, {
          source: 'api',
          policy: options.policy,
        }),
      }),
    );

    app.get(
      '/api/v1/transactions',
      {
        schema: {
          tags: ['transactions'],
          summary: 'Transactions, newest first',
          querystring: Type.Object({
            merchantNo: Type.Optional(Type.String({ maxLength: 32 })),
            terminalId: Type.Optional(Type.String({ maxLength: 16 })),
            decision: Type.Optional(Type.Union(DECISIONS.map((d) => Type.Literal(d)))),
            limit: ListLimit,
            cursor: Cursor,
          }),
          response: {
            200: Type.Object({
              items: Type.Array(TransactionSchema),
              nextCursor: Type.Optional(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => listTransactions(ctx, principalOf(request), request.query),
    );

    app.get(
      '/api/v1/transactions/:id',
      {
        schema: {
          tags: ['transactions'],
          summary: 'One transaction with its decision and the rules that fired',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: { 200: TransactionSchema, ...errorResponses },
        },
      },
      async (request) => getTransaction(ctx, principalOf(request), request.params.id),
    );

    app.post(
      AUTHORIZE_CHECK_PATH,
      {
        schema: {
          tags: ['transactions'],
          summary:
            'May the switch approve a payment on this terminal for this merchant now? Answered from memory',
          body: Type.Object({
            // The fast path in front of Fastify answers within the same limits.
            terminalId: Type.String({ maxLength: TERMINAL_ID_MAX }),
            merchantNo: Type.String({ maxLength: MERCHANT_NO_MAX }),
          }),
          response: {
            200: Type.Object({
              allow: Type.Boolean(),
              reasons: Type.Array(Type.String()),
              settlementHeld: Type.Boolean(),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        authorise(principalOf(request), 'authorize.check');
        if (!ctx.index) throw new DomainError('screening_unavailable', 'No registry index');
        return authorizeCheck(
          ctx.index,
          request.body.terminalId.toUpperCase(),
          request.body.merchantNo,
        );
      },
    );
  };
}
