import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { authorise } from '../../app/context.js';
import { verifyAuditTrail } from '../../app/audit.js';
import { principalOf } from '../auth.js';
import { errorResponses } from '../schemas.js';

export function auditRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/v1/audit/verify',
      {
        schema: {
          tags: ['audit'],
          summary: 'Recompute the audit hash chain (admin, auditor)',
          response: {
            200: Type.Object({
              ok: Type.Boolean(),
              entries: Type.Integer(),
              firstBrokenSeq: Type.Optional(Type.Integer()),
              problem: Type.Optional(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        authorise(principalOf(request), 'audit.verify');
        return verifyAuditTrail(ctx.db);
      },
    );
  };
}
