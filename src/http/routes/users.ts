import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { createUser } from '../../app/users/create-user.js';
import { setUserEmail } from '../../app/users/set-user-email.js';
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
            email: Type.Optional(
              Type.String({ maxLength: 254, description: 'Where escalations e-mail the user' }),
            ),
          }),
          response: {
            201: Type.Object({
              id: Type.String(),
              username: Type.String(),
              role: Type.String(),
              merchantNos: Type.Array(Type.String()),
              email: Type.Union([Type.String(), Type.Null()]),
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

    app.patch(
      '/api/v1/users/:username',
      {
        schema: {
          tags: ['users'],
          summary: "Set or clear a user's e-mail address (admin; audited)",
          params: Type.Object({ username: Type.String({ maxLength: 64 }) }),
          body: Type.Object({
            email: Type.Union([Type.String({ maxLength: 254 }), Type.Null()], {
              description: 'A plain address; null or empty clears it',
            }),
          }),
          response: {
            200: Type.Object({
              id: Type.String(),
              username: Type.String(),
              role: Type.String(),
              merchantNos: Type.Array(Type.String()),
              email: Type.Union([Type.String(), Type.Null()]),
              disabled: Type.Boolean(),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) =>
        setUserEmail(ctx, principalOf(request), {
          username: request.params.username,
          email: request.body.email,
        }),
    );
  };
}
