import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { createMerchant } from '../../app/registry/create-merchant.js';
import { getMerchant, listMerchants, listSettlementAccounts } from '../../app/registry/queries.js';
import { MERCHANT_STATUSES, MERCHANT_TYPES } from '../../core/registry.js';
import { principalOf } from '../auth.js';
import {
  AccountSchema,
  Cursor,
  errorResponses,
  ListLimit,
  MerchantSchema,
  SearchText,
} from '../schemas.js';

const MerchantNoParam = Type.Object({ merchantNo: Type.String({ maxLength: 32 }) });

export function merchantRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/v1/merchants',
      {
        schema: {
          tags: ['registry'],
          summary: 'Register a merchant (admin, ops); identifiers are checked',
          body: Type.Object({
            merchantNo: Type.String({ maxLength: 32 }),
            name: Type.String({ maxLength: 400 }),
            type: Type.Union(MERCHANT_TYPES.map((t) => Type.Literal(t))),
            uscc: Type.Optional(Type.String({ maxLength: 64 })),
            usccChecksumOverrideReason: Type.Optional(Type.String({ maxLength: 1000 })),
            legalPerson: Type.Object({
              name: Type.String({ maxLength: 200 }),
              idNumber: Type.String({ maxLength: 64 }),
            }),
            mcc: Type.String({ maxLength: 8 }),
            contactPhone: Type.Optional(Type.String({ maxLength: 32 })),
            address: Type.Optional(Type.String({ maxLength: 600 })),
          }),
          response: { 201: MerchantSchema, 409: errorResponses[422], ...errorResponses },
        },
      },
      async (request, reply) => {
        const merchant = await createMerchant(ctx, principalOf(request), request.body);
        return reply.code(201).send(merchant);
      },
    );

    app.get(
      '/api/v1/merchants',
      {
        schema: {
          tags: ['registry'],
          summary: 'Merchants, searchable by name, number or legal person',
          querystring: Type.Object({
            q: SearchText,
            type: Type.Optional(Type.Union(MERCHANT_TYPES.map((t) => Type.Literal(t)))),
            status: Type.Optional(Type.Union(MERCHANT_STATUSES.map((s) => Type.Literal(s)))),
            limit: ListLimit,
            cursor: Cursor,
          }),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  merchantNo: Type.String(),
                  name: Type.String(),
                  type: Type.String(),
                  status: Type.String(),
                  legalPersonName: Type.String(),
                  accountStatus: Type.Union([Type.String(), Type.Null()]),
                  nameCheckResult: Type.Union([Type.String(), Type.Null()]),
                  terminalCount: Type.Integer(),
                  createdAt: Type.String({ format: 'date-time' }),
                }),
              ),
              nextCursor: Type.Optional(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => listMerchants(ctx, principalOf(request), request.query),
    );

    app.get(
      '/api/v1/merchants/:merchantNo',
      {
        schema: {
          tags: ['registry'],
          summary: 'One merchant with its settlement account (masked) and terminals',
          params: MerchantNoParam,
          response: { 200: MerchantSchema, ...errorResponses },
        },
      },
      async (request) => getMerchant(ctx, principalOf(request), request.params.merchantNo),
    );

    app.get(
      '/api/v1/merchants/:merchantNo/settlement-accounts',
      {
        schema: {
          tags: ['registry'],
          summary: 'Every version of the merchant’s settlement accounts, newest first',
          params: MerchantNoParam,
          response: { 200: Type.Object({ items: Type.Array(AccountSchema) }), ...errorResponses },
        },
      },
      async (request) => ({
        items: await listSettlementAccounts(ctx, principalOf(request), request.params.merchantNo),
      }),
    );
  };
}
