/** The ledger over HTTP: verification, and a merchant's postings. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { verifyLedgerFor } from '../../app/ledger/verify.js';
import { listMerchantPostings } from '../../app/ledger/queries.js';
import { principalOf } from '../auth.js';
import { Bilingual, Cursor, errorResponses, ListLimit } from '../schemas.js';

export function ledgerRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/v1/ledger/verify',
      {
        schema: {
          tags: ['ledger'],
          summary:
            'Check the ledger: journals balance, each merchant owed its transactions less fees and payouts, states match the lines, no line paid twice',
          response: {
            200: Type.Object({
              balanced: Type.Boolean(),
              checkedAt: Type.String({ format: 'date-time' }),
              journals: Type.Integer(),
              postings: Type.Integer(),
              merchants: Type.Integer(),
              totals: Type.Record(Type.String(), Type.Integer(), {
                description: 'Balance per ledger account over all merchants (debit positive)',
              }),
              problems: Type.Array(
                Type.Object({
                  code: Type.String(),
                  message: Type.String(),
                  journalId: Type.Optional(Type.String()),
                  lineId: Type.Optional(Type.String()),
                  merchantNo: Type.Optional(Type.String()),
                  account: Type.Optional(Type.String()),
                  expectedFen: Type.Optional(Type.Integer()),
                  actualFen: Type.Optional(Type.Integer()),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => verifyLedgerFor(ctx, principalOf(request)),
    );

    app.get(
      '/api/v1/merchants/:merchantNo/ledger-entries',
      {
        schema: {
          tags: ['ledger'],
          summary: "A merchant's ledger postings, newest first (amountFen: debit positive)",
          params: Type.Object({ merchantNo: Type.String({ pattern: '^[0-9]{15}$' }) }),
          querystring: Type.Object({ limit: ListLimit, cursor: Cursor }),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  journalId: Type.String(),
                  seq: Type.Integer(),
                  kind: Type.String(),
                  at: Type.String({ format: 'date-time' }),
                  actor: Type.String(),
                  account: Type.String(),
                  accountName: Bilingual,
                  amountFen: Type.Integer(),
                  runId: Type.Union([Type.String(), Type.Null()]),
                  lineId: Type.Union([Type.String(), Type.Null()]),
                }),
              ),
              nextCursor: Type.Optional(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) =>
        listMerchantPostings(ctx, principalOf(request), request.params.merchantNo, request.query),
    );
  };
}
