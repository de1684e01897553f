import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { listAlerts } from '../../app/alerts/list-alerts.js';
import { principalOf } from '../auth.js';
import { errorResponses, ListLimit } from '../schemas.js';

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
            limit: ListLimit,
          }),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  id: Type.String(),
                  rule: Type.String(),
                  severity: Type.String(),
                  merchantNo: Type.String(),
                  terminalId: Type.Union([Type.String(), Type.Null()]),
                  explanation: Type.Object({
                    zh: Type.String(),
                    en: Type.String(),
                    data: Type.Record(Type.String(), Type.Unknown()),
                  }),
                  createdAt: Type.String({ format: 'date-time' }),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => ({ items: await listAlerts(ctx, principalOf(request), request.query) }),
    );
  };
}
