import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { getIncident, listIncidents } from '../../app/incidents/queries.js';
import { principalOf } from '../auth.js';
import {
  AlertSchema,
  Bilingual,
  Cursor,
  errorResponses,
  IncidentSummarySchema,
  ListLimit,
} from '../schemas.js';

const STATUSES = [
  'open',
  'acknowledged',
  'contained',
  'investigating',
  'correcting',
  'verifying',
  'remediating',
  'resolved',
  'closed',
] as const;

export function incidentRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/v1/incidents',
      {
        schema: {
          tags: ['incidents'],
          summary: 'Incidents, newest first',
          querystring: Type.Object({
            merchantNo: Type.Optional(Type.String({ maxLength: 32 })),
            status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))),
            limit: ListLimit,
            cursor: Cursor,
          }),
          response: {
            200: Type.Object({
              items: Type.Array(IncidentSummarySchema),
              nextCursor: Type.Optional(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => listIncidents(ctx, principalOf(request), request.query),
    );

    app.get(
      '/api/v1/incidents/:id',
      {
        schema: {
          tags: ['incidents'],
          summary: 'One incident: its alerts with their explanations, containment and timeline',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: {
            200: Type.Intersect([
              IncidentSummarySchema,
              Type.Object({
                alerts: Type.Array(AlertSchema),
                timeline: Type.Array(
                  Type.Object({
                    at: Type.String({ format: 'date-time' }),
                    kind: Type.String(),
                    actor: Type.String(),
                    text: Bilingual,
                  }),
                ),
              }),
            ]),
            ...errorResponses,
          },
        },
      },
      async (request) => getIncident(ctx, principalOf(request), request.params.id),
    );
  };
}
