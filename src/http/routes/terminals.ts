import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { changeTerminalStatus } from '../../app/registry/change-terminal-status.js';
import { createTerminal } from '../../app/registry/create-terminal.js';
import { getTerminal, listTerminals } from '../../app/registry/queries.js';
import { TERMINAL_STATUSES } from '../../core/registry.js';
import { principalOf } from '../auth.js';
import { Cursor, errorResponses, ListLimit, SearchText, TerminalSchema } from '../schemas.js';

const TerminalIdParam = Type.Object({ terminalId: Type.String({ maxLength: 16 }) });
const ReasonBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) });

export function terminalRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/v1/terminals',
      {
        schema: {
          tags: ['registry'],
          summary: 'Register a terminal bound to a merchant (admin, ops)',
          body: Type.Object({
            terminalId: Type.String({ maxLength: 16 }),
            serialNumber: Type.String({ maxLength: 64 }),
            model: Type.String({ maxLength: 100 }),
            firmwareVersion: Type.String({ maxLength: 100 }),
            merchantNo: Type.String({ maxLength: 32 }),
            location: Type.Optional(Type.String({ maxLength: 600 })),
          }),
          response: { 201: TerminalSchema, 409: errorResponses[422], ...errorResponses },
        },
      },
      async (request, reply) => {
        const terminal = await createTerminal(ctx, principalOf(request), request.body);
        return reply.code(201).send(terminal);
      },
    );

    app.get(
      '/api/v1/terminals',
      {
        schema: {
          tags: ['registry'],
          summary: 'Terminals, searchable by id, serial number, model or merchant',
          querystring: Type.Object({
            q: SearchText,
            merchantNo: Type.Optional(Type.String({ maxLength: 32 })),
            status: Type.Optional(Type.Union(TERMINAL_STATUSES.map((s) => Type.Literal(s)))),
            limit: ListLimit,
            cursor: Cursor,
          }),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Intersect([
                  TerminalSchema,
                  Type.Object({ merchantName: Type.Union([Type.String(), Type.Null()]) }),
                ]),
              ),
              nextCursor: Type.Optional(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => listTerminals(ctx, principalOf(request), request.query),
    );

    app.get(
      '/api/v1/terminals/:terminalId',
      {
        schema: {
          tags: ['registry'],
          summary: 'One terminal',
          params: TerminalIdParam,
          response: { 200: TerminalSchema, ...errorResponses },
        },
      },
      async (request) => getTerminal(ctx, principalOf(request), request.params.terminalId),
    );

    for (const [verb, to] of [
      ['suspend', 'suspended'],
      ['resume', 'active'],
    ] as const) {
      app.post(
        `/api/v1/terminals/:terminalId/${verb}`,
        {
          schema: {
            tags: ['registry'],
            summary: `${verb === 'suspend' ? 'Suspend' : 'Resume'} a terminal (admin, risk), with a reason`,
            params: TerminalIdParam,
            body: ReasonBody,
            response: { 200: TerminalSchema, 409: errorResponses[422], ...errorResponses },
          },
        },
        async (request) =>
          changeTerminalStatus(ctx, principalOf(request), {
            terminalId: request.params.terminalId,
            to,
            reason: request.body.reason,
          }),
      );
    }
  };
}
