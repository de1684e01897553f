import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { createUser } from '../../app/users/create-user.js';
import { ROLES } from '../../core/roles.js';
import { principalOf } from '../auth.js';
import { errorResponses } from '../schemas.js';

export function userRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/v1/users',
      {
        schema: {
          tags: ['users'],
          summary: 'Create a user (admin); the token is shown once',
          body: Type.Object({
            username: Type.String({ maxLength: 64 }),
            role: Type.Union(ROLES.map((role) => Type.Literal(role))),
            merchantNos: Type.Optional(
              Type.Array(Type.String({ maxLength: 32 }), { maxItems: 500 }),
            ),
            password: Type.Optional(Type.String({ maxLength: 200 })),
          }),
          response: {
            201: Type.Object({
              id: Type.String(),
              username: Type.String(),
              role: Type.String(),
              merchantNos: Type.Array(Type.String()),
              token: Type.String(),
            }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const user = await createUser(ctx, principalOf(request), request.body);
        return reply.code(201).send(user);
      },
    );
  };
}
