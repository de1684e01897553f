import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { importPortfolio } from '../../app/registry/import-portfolio.js';
import { principalOf } from '../auth.js';
import { errorResponses, ProblemSchema } from '../schemas.js';

/** 1,000 records of a merchant, an account and a few terminals fit well inside this. */
const IMPORT_BODY_BYTES_MAX = 8 * 1024 * 1024;

export function importRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/v1/import',
      {
        bodyLimit: IMPORT_BODY_BYTES_MAX,
        schema: {
          tags: ['registry'],
          summary:
            'Import an existing portfolio (admin, ops): at most 1,000 records, each taken or refused whole',
          // Records are checked one by one by the use case, so that one bad record is refused
          // with its own codes and the rest of the batch is still taken.
          body: Type.Object({ records: Type.Array(Type.Unknown()) }),
          response: {
            200: Type.Object({
              imported: Type.Integer(),
              failed: Type.Array(
                Type.Object({
                  index: Type.Integer(),
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
              nameMismatches: Type.Array(Type.String()),
            }),
            413: ProblemSchema,
            ...errorResponses,
          },
        },
      },
      async (request) => importPortfolio(ctx, principalOf(request), request.body.records),
    );
  };
}
