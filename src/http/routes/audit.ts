import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { authorise } from '../../app/context.js';
import { verifyAuditTrail } from '../../app/audit.js';
import { principalOf } from '../auth.js';
import { errorResponses, ListLimit } from '../schemas.js';
import { AUDIT_FILTER_LENGTH_MAX, listAuditEntries } from '../../app/audit-log.js';

const Filter = Type.Optional(Type.String({ minLength: 1, maxLength: AUDIT_FILTER_LENGTH_MAX }));

export function auditRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/v1/audit',
      {
        schema: {
          tags: ['audit'],
          summary:
            'The audit trail in the order it was written (admin, auditor, risk): filter by merchant, entity, action or actor; page on with the previous page’s nextCursor',
          querystring: Type.Object({
            merchantNo: Filter,
            entityType: Filter,
            entityId: Filter,
            action: Filter,
            actor: Filter,
            cursor: Type.Optional(Type.String({ maxLength: 20 })),
            limit: ListLimit,
          }),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  seq: Type.Integer(),
                  at: Type.String({ format: 'date-time' }),
                  actor: Type.String(),
                  action: Type.String(),
                  entityType: Type.String(),
                  entityId: Type.String(),
                  merchantNo: Type.Union([Type.String(), Type.Null()]),
                  before: Type.Unknown(),
                  after: Type.Unknown(),
                }),
              ),
              nextCursor: Type.Optional(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => listAuditEntries(ctx, principalOf(request), request.query),
    );
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
