import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { checkAccount } from '../../app/registry/check-account.js';
import { ACCOUNT_TYPES } from '../../core/registry.js';
import { principalOf } from '../auth.js';
import { errorResponses, FieldWarning, NameCheckSchema } from '../schemas.js';

export function accountRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/v1/settlement-accounts/check',
      {
        schema: {
          tags: ['registry'],
          summary:
            'Check an account against a merchant (number, bank from BIN, holder name, reuse) without storing it',
          body: Type.Object({
            merchantNo: Type.String({ maxLength: 32 }),
            accountNumber: Type.String({ maxLength: 64 }),
            accountName: Type.String({ maxLength: 400 }),
            accountType: Type.Union(ACCOUNT_TYPES.map((t) => Type.Literal(t))),
            bankCode: Type.Optional(Type.String({ maxLength: 32 })),
            bankName: Type.Optional(Type.String({ maxLength: 120 })),
          }),
          response: {
            200: Type.Object({
              accountNumberMasked: Type.String(),
              accountType: Type.String(),
              bank: Type.Union([
                Type.Object({
                  name: Type.String(),
                  code: Type.Union([Type.String(), Type.Null()]),
                  cardType: Type.Union([Type.String(), Type.Null()]),
                  source: Type.String(),
                }),
                Type.Null(),
              ]),
              nameCheck: NameCheckSchema,
              warnings: Type.Array(FieldWarning),
              alsoUsedBy: Type.Integer(),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => checkAccount(ctx, principalOf(request), request.body),
    );
  };
}
