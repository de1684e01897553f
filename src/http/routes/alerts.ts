import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { listAlerts } from '../../app/alerts/list-alerts.js';
import { principalOf } from '../auth.js';
import { AlertSchema, Cursor, errorResponses, ListLimit } from '../schemas.js';

export function alertRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/v1/alerts',
      {
        schema: {
          tags: ['alerts'],
          summary: 'Alerts (rules that fired), newest first',
          querystring: Type.Object({
            merchantNo: Type.Optional(Type.String({ maxLength: 32 })),
            rule: Type.Optional(Type.String({ maxLength: 64 })),
            severity: Type.Optional(
              Type.Union(['low', 'medium', 'high', 'critical'].map((s) => Type.Literal(s))),
            ),
            incidentId: Type.Optional(Type.String({ format: 'uuid' })),
            since: Type.Optional(Type.String({ format: 'date-time' })),
            drill: Type.Optional(
              Type.Union([Type.Literal('true'), Type.Literal('false'), Type.Literal('all')], {
                description:
                  'Alerts made up by drills: left out by default (shown with an incidentId); true: drills only; all: both',
              }),
            ),
            limit: ListLimit,
            cursor: Cursor,
          }),
          response: {
            200: Type.Object({
              items: Type.Array(AlertSchema),
              nextCursor: Type.Optional(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => listAlerts(ctx, principalOf(request), request.query),
    );
  };
}
