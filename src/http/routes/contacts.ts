/**
 * The contact log of an incident and its message templates over HTTP. Staff only; handlers
 * authenticate, validate and call the use case.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { listContacts, logContact } from '../../app/contacts/log.js';
import { incidentMessageTemplates } from '../../app/contacts/templates.js';
import {
  CONTACT_CHANNELS,
  CONTACT_OUTCOME_LENGTH_MAX,
  CONTACT_PARTIES,
  CONTACT_PARTY_NAME_LENGTH_MAX,
  CONTACT_SUMMARY_LENGTH_MAX,
  TEMPLATE_IDS,
} from '../../core/contacts.js';
import { principalOf } from '../auth.js';
import { Bilingual, errorResponses, ProblemSchema } from '../schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const literals = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v)));
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const IncidentContactSchema = Type.Object(
  {
    id: Type.String(),
    incidentId: Type.String(),
    party: literals(CONTACT_PARTIES),
    partyName: Nullable(Type.String()),
    channel: literals(CONTACT_CHANNELS),
    summary: Type.String({ description: 'What was said' }),
    outcome: Nullable(Type.String()),
    templateId: Nullable(Type.String({ description: 'The message template used, if any' })),
    createdBy: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'IncidentContact' },
);

export function contactRoutes(
  ctx: AppContext,
  options: { coolingOffHours: number },
): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addSchema(IncidentContactSchema);

    app.post(
      '/api/v1/incidents/:id/contacts',
      {
        schema: {
          tags: ['contacts'],
          summary:
            'Log a contact about the incident (admin, risk, ops, support): who (cardholder, partner, merchant, bank), how, what was said and what came of it. Audited; an internal timeline entry (contact_logged). 409 incident_closed, contact_limit_reached.',
          params: IdParams,
          body: Type.Object({
            party: literals(CONTACT_PARTIES),
            partyName: Type.Optional(Type.String({ maxLength: CONTACT_PARTY_NAME_LENGTH_MAX })),
            channel: literals(CONTACT_CHANNELS),
            summary: Type.String({ minLength: 1, maxLength: CONTACT_SUMMARY_LENGTH_MAX }),
            outcome: Type.Optional(Type.String({ maxLength: CONTACT_OUTCOME_LENGTH_MAX })),
            templateId: Type.Optional(literals(TEMPLATE_IDS)),
          }),
          response: {
            201: Type.Ref('IncidentContact'),
            409: ProblemSchema,
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const contact = await logContact(
          ctx,
          principalOf(request),
          request.params.id,
          request.body,
        );
        return reply.code(201).send(contact);
      },
    );

    app.get(
      '/api/v1/incidents/:id/contacts',
      {
        schema: {
          tags: ['contacts'],
          summary: 'The incident’s contact log in the order logged (staff)',
          params: IdParams,
          response: {
            200: Type.Object({ items: Type.Array(Type.Ref('IncidentContact')) }),
            ...errorResponses,
          },
        },
      },
      async (request) => listContacts(ctx, principalOf(request), request.params.id),
    );

    app.get(
      '/api/v1/incidents/:id/message-templates',
      {
        schema: {
          tags: ['contacts'],
          summary:
            'Chinese message templates filled from the incident (staff): apology to a cardholder, notice to a partner, account-change confirmation to the merchant, request to the wrong account’s bank. Masked numbers only; what is not known yet is a 【待填：…】 placeholder.',
          params: IdParams,
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  id: Type.String({ description: TEMPLATE_IDS.join(' | ') }),
                  party: Type.String({ description: CONTACT_PARTIES.join(' | ') }),
                  title: Bilingual,
                  text: Type.String(),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) =>
        incidentMessageTemplates(ctx, principalOf(request), request.params.id, options),
    );
  };
}
