/**
 * Incidents over HTTP: the queue and one incident, the actions that work it through its
 * lifecycle (each answering the updated incident), drills, and the dashboard's figures.
 * Handlers only authenticate, validate and call the use case; which move is allowed is the
 * core's table (core/incidents/lifecycle.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { getIncident, listIncidents } from '../../app/incidents/queries.js';
import {
  acknowledgeIncident,
  assignIncident,
  changeSeverity,
  commentOnIncident,
  recordPostMortem,
  recordRootCause,
  transitionIncident,
} from '../../app/incidents/actions.js';
import { startDrill } from '../../app/incidents/start-drill.js';
import { incidentStats } from '../../app/incidents/stats.js';
import {
  COMMENT_LENGTH_MAX,
  HELD_MONEY_PLAN_LENGTH_MAX,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  LESSON_LENGTH_MAX,
  LESSONS_MAX,
  NOTE_LENGTH_MAX,
  POST_MORTEM_SUMMARY_LENGTH_MAX,
  ROOT_CAUSE_CATEGORIES,
  ROOT_CAUSE_DETAIL_LENGTH_MAX,
  SEVERITY_REASON_LENGTH_MAX,
} from '../../core/incidents/lifecycle.js';
import { DRILL_SCENARIOS } from '../../core/incidents/drills.js';
import { principalOf } from '../auth.js';
import {
  AlertSchema,
  Bilingual,
  Cursor,
  errorResponses,
  IncidentSummarySchema,
  ListLimit,
  ProblemSchema,
} from '../schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const literals = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v)));
const StatusSchema = literals(INCIDENT_STATUSES);
const SeveritySchema = literals(INCIDENT_SEVERITIES);
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

const RootCauseSchema = Type.Object({
  category: literals(ROOT_CAUSE_CATEGORIES),
  detail: Type.String(),
  operator: Type.Optional(Type.String()),
  recordedBy: Type.String(),
  recordedAt: DateTime,
});

const PostMortemSchema = Type.Object({
  summary: Type.String(),
  lessons: Type.Array(Type.String()),
  recordedBy: Type.String(),
  recordedAt: DateTime,
});

export const IncidentDetailSchema = Type.Intersect(
  [
    IncidentSummarySchema,
    Type.Object({
      rootCause: Nullable(RootCauseSchema),
      postMortem: Nullable(PostMortemSchema),
      heldMoneyPlan: Nullable(
        Type.String({ description: 'The plan recorded when resolved with money still held' }),
      ),
      heldMoney: Type.Object(
        {
          holdActive: Type.Boolean(),
          amountFen: Type.Integer(),
          lineCount: Type.Integer(),
        },
        { description: "The merchant's money still held: active hold, unreleased held lines" },
      ),
      allowedTransitions: Type.Array(
        Type.Object({
          to: StatusSchema,
          action: Type.String(),
          blockedBy: Type.Array(Type.String(), {
            description:
              'Unmet requirements: root_cause_required, post_mortem_required, incident_already_open must be dealt with first; note_required and held_money_plan_required are met by sending note or heldMoneyPlan with the move',
          }),
        }),
        { description: "The moves the caller's role may make from the current status" },
      ),
      alerts: Type.Array(AlertSchema),
      timeline: Type.Array(
        Type.Object({
          at: DateTime,
          kind: Type.String(),
          actor: Type.String(),
          text: Bilingual,
        }),
      ),
    }),
  ],
  { $id: 'IncidentDetail' },
);

const actionResponses = {
  200: Type.Ref('IncidentDetail'),
  ...errorResponses,
  409: ProblemSchema,
};

const StatsSchema = Type.Object({
  generatedAt: DateTime,
  windowDays: Type.Integer(),
  open: Type.Object({
    total: Type.Integer(),
    bySeverity: Type.Object({
      P1: Type.Integer(),
      P2: Type.Integer(),
      P3: Type.Integer(),
      P4: Type.Integer(),
    }),
    ackOverdue: Type.Integer(),
  }),
  openedInWindow: Type.Integer(),
  meanTimeToAcknowledgeSeconds: Nullable(Type.Integer()),
  acknowledgedInWindow: Type.Integer(),
  meanTimeToResolveSeconds: Nullable(Type.Integer()),
  resolvedInWindow: Type.Integer(),
  held: Type.Object({
    amountFen: Type.Integer({ description: 'Held and returned lines not released' }),
    lineCount: Type.Integer(),
    merchantsOnHold: Type.Integer({ description: 'With an active hold or held money' }),
    activeHolds: Type.Integer(),
  }),
  alertsByRule: Type.Object({
    days: Type.Array(Type.String({ format: 'date' }), {
      description: 'China Standard Time dates, oldest first',
    }),
    rules: Type.Array(
      Type.Object({
        rule: Type.String(),
        counts: Type.Array(Type.Integer(), { description: 'One per day of days' }),
        total: Type.Integer(),
      }),
    ),
  }),
});

export function incidentRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addSchema(IncidentDetailSchema);

    app.get(
      '/api/v1/incidents',
      {
        schema: {
          tags: ['incidents'],
          summary: 'Incidents, newest first; drills left out unless drill=true or drill=all',
          querystring: Type.Object({
            merchantNo: Type.Optional(Type.String({ maxLength: 32 })),
            status: Type.Optional(StatusSchema),
            active: Type.Optional(
              Type.Boolean({ description: 'Only incidents not resolved or closed' }),
            ),
            severity: Type.Optional(SeveritySchema),
            assignee: Type.Optional(Type.String({ maxLength: 64 })),
            openedBefore: Type.Optional(DateTime),
            openedAfter: Type.Optional(DateTime),
            drill: Type.Optional(
              Type.Union([Type.Literal('true'), Type.Literal('false'), Type.Literal('all')], {
                description: 'false (default): real incidents; true: drills only; all: both',
              }),
            ),
            ackOverdue: Type.Optional(
              Type.Boolean({ description: 'Only open incidents past their acknowledgement time' }),
            ),
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
      '/api/v1/incidents/stats',
      {
        schema: {
          tags: ['incidents'],
          summary:
            'Dashboard figures: open incidents by severity, mean time to acknowledge and resolve (30 days), money held, alerts by rule per day (14 days); drills excluded',
          response: { 200: StatsSchema, ...errorResponses },
        },
      },
      async (request) => incidentStats(ctx, principalOf(request)),
    );

    app.get(
      '/api/v1/incidents/:id',
      {
        schema: {
          tags: ['incidents'],
          summary:
            'One incident: alerts, containment, timeline, root cause, post-mortem and the moves the caller may make',
          params: IdParams,
          response: { 200: Type.Ref('IncidentDetail'), ...errorResponses },
        },
      },
      async (request) => getIncident(ctx, principalOf(request), request.params.id),
    );

    app.post(
      '/api/v1/incidents/:id/acknowledge',
      {
        schema: {
          tags: ['incidents'],
          summary: 'Acknowledge (open → acknowledged): stops the escalation',
          params: IdParams,
          body: Type.Object(
            { note: Type.Optional(Type.String({ maxLength: NOTE_LENGTH_MAX })) },
            { description: 'Optional: the request may have no body at all' },
          ),
          response: actionResponses,
        },
        // A bare POST (a link in a notification, a button) acknowledges without a note.
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request) =>
        acknowledgeIncident(ctx, principalOf(request), request.params.id, {
          note: request.body.note,
        }),
    );

    app.post(
      '/api/v1/incidents/:id/assign',
      {
        schema: {
          tags: ['incidents'],
          summary: 'Assign to a staff user who works incidents (admin, risk, ops, approver)',
          params: IdParams,
          body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: actionResponses,
        },
      },
      async (request) => assignIncident(ctx, principalOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/v1/incidents/:id/comment',
      {
        schema: {
          tags: ['incidents'],
          summary: 'Add a comment to the timeline',
          params: IdParams,
          body: Type.Object({ text: Type.String({ minLength: 1, maxLength: COMMENT_LENGTH_MAX }) }),
          response: actionResponses,
        },
      },
      async (request) =>
        commentOnIncident(ctx, principalOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/v1/incidents/:id/transition',
      {
        schema: {
          tags: ['incidents'],
          summary:
            'Move the incident as the lifecycle table allows (invalid_transition, root_cause_required, post_mortem_required, held_money_plan_required, note_required, incident_already_open)',
          params: IdParams,
          body: Type.Object({
            to: StatusSchema,
            note: Type.Optional(Type.String({ maxLength: NOTE_LENGTH_MAX })),
            heldMoneyPlan: Type.Optional(
              Type.String({
                maxLength: HELD_MONEY_PLAN_LENGTH_MAX,
                description: 'With to = resolved while money is still held: what happens to it',
              }),
            ),
          }),
          response: actionResponses,
        },
      },
      async (request) =>
        transitionIncident(ctx, principalOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/v1/incidents/:id/root-cause',
      {
        schema: {
          tags: ['incidents'],
          summary: 'Record (or replace) the root cause; operator_error names the operator',
          params: IdParams,
          body: Type.Object({
            category: literals(ROOT_CAUSE_CATEGORIES),
            detail: Type.String({ minLength: 1, maxLength: ROOT_CAUSE_DETAIL_LENGTH_MAX }),
            operator: Type.Optional(
              Type.String({
                maxLength: 64,
                description: 'With operator_error: the user whose change caused it',
              }),
            ),
          }),
          response: actionResponses,
        },
      },
      async (request) =>
        recordRootCause(ctx, principalOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/v1/incidents/:id/post-mortem',
      {
        schema: {
          tags: ['incidents'],
          summary: 'Record (or replace) the post-mortem with its lessons learned',
          params: IdParams,
          body: Type.Object({
            summary: Type.String({ minLength: 1, maxLength: POST_MORTEM_SUMMARY_LENGTH_MAX }),
            lessons: Type.Array(Type.String({ minLength: 1, maxLength: LESSON_LENGTH_MAX }), {
              minItems: 1,
              maxItems: LESSONS_MAX,
            }),
          }),
          response: actionResponses,
        },
      },
      async (request) =>
        recordPostMortem(ctx, principalOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/v1/incidents/:id/severity',
      {
        schema: {
          tags: ['incidents'],
          summary: 'Change the severity, with a reason',
          params: IdParams,
          body: Type.Object({
            severity: SeveritySchema,
            reason: Type.String({ minLength: 1, maxLength: SEVERITY_REASON_LENGTH_MAX }),
          }),
          response: actionResponses,
        },
      },
      async (request) => changeSeverity(ctx, principalOf(request), request.params.id, request.body),
    );

    app.post(
      '/api/v1/drills',
      {
        schema: {
          tags: ['incidents'],
          summary:
            'Start a drill (演练) from a scenario on a real merchant: touches no terminal, hold or ledger entry; its events reach the console only',
          body: Type.Object({
            scenario: literals(DRILL_SCENARIOS),
            merchantNo: Type.Optional(Type.String({ pattern: '^[0-9]{15}$' })),
          }),
          response: { 201: Type.Ref('IncidentDetail'), ...errorResponses, 409: ProblemSchema },
        },
      },
      async (request, reply) => {
        const incident = await startDrill(ctx, principalOf(request), request.body);
        return reply.code(201).send(incident);
      },
    );
  };
}
