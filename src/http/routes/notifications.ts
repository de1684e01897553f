/**
 * Notifications over HTTP (ADR 13): webhook endpoints and their delivery log, escalation
 * policies, and the console's notification bell with its live stream (server-sent events).
 * Handlers authenticate, validate and call the use case; the SSE framing is the one piece of
 * HTTP work done here.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../app/context.js';
import { authorise } from '../../app/context.js';
import { createWebhook } from '../../app/notifications/create-webhook.js';
import { disableWebhook } from '../../app/notifications/disable-webhook.js';
import { redeliverWebhook } from '../../app/notifications/redeliver-webhook.js';
import { testWebhook } from '../../app/notifications/test-webhook.js';
import {
  listDeliveries,
  listEmailDeliveries,
  listNotifications,
  listWebhooks,
  notificationsAfter,
  presentNotification,
  unreadCount,
  type NotificationView,
} from '../../app/notifications/queries.js';
import { markNotificationsRead, READ_IDS_MAX } from '../../app/notifications/read-notifications.js';
import {
  getEscalationPolicy,
  listEscalationPolicies,
  setEscalationPolicy,
} from '../../app/notifications/escalation-policies.js';
import { NotificationHub } from '../../app/notifications/notification-hub.js';
import { EVENT_TYPES } from '../../core/events.js';
import { DomainError } from '../../core/errors.js';
import {
  ACK_TIMEOUT_SECONDS_MAX,
  ACK_TIMEOUT_SECONDS_MIN,
  LEVELS_MAX,
  NOTIFY_ENTRIES_MAX,
  REPEAT_MAX,
} from '../../core/notifications/escalation.js';
import { principalOf } from '../auth.js';
import { Bilingual, Cursor, errorResponses, ListLimit, ProblemSchema } from '../schemas.js';

/** A comment line every 25 s keeps proxies from closing an idle stream. */
export const SSE_HEARTBEAT_MS = 25_000;
/** Notifications sent again after a reconnect (Last-Event-ID), at most. */
const CATCH_UP_MAX = 100;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const SeverityParams = Type.Object({
  severity: Type.Union([
    Type.Literal('P1'),
    Type.Literal('P2'),
    Type.Literal('P3'),
    Type.Literal('P4'),
  ]),
});

const WebhookSchema = Type.Object({
  id: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  description: Nullable(Type.String()),
  active: Type.Boolean(),
  createdBy: Type.String(),
  createdAt: DateTime,
  disabledAt: Nullable(DateTime),
  disabledBy: Nullable(Type.String()),
  deliveries: Type.Object({
    pending: Type.Integer(),
    delivered: Type.Integer(),
    failed: Type.Integer(),
  }),
});

const DeliverySchema = Type.Object({
  id: Type.String(),
  messageId: Type.String({ description: 'The webhook-id header: the event id, on every attempt' }),
  eventId: Nullable(Type.String()),
  eventType: Type.String(),
  incidentId: Nullable(Type.String()),
  reason: Type.Union([
    Type.Literal('subscription'),
    Type.Literal('escalation'),
    Type.Literal('test'),
  ]),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attemptCount: Type.Integer({ description: 'Scheduled attempts made (manual ones not counted)' }),
  nextAttemptAt: Nullable(DateTime),
  createdAt: DateTime,
  deliveredAt: Nullable(DateTime),
  failedAt: Nullable(DateTime),
  lastStatusCode: Nullable(Type.Integer({ description: 'HTTP status of the latest attempt' })),
  lastError: Nullable(Type.String({ description: 'Error of the latest attempt' })),
  attempts: Type.Array(
    Type.Object({
      at: DateTime,
      trigger: Type.Union([Type.Literal('scheduled'), Type.Literal('manual')]),
      succeeded: Type.Boolean(),
      httpStatus: Nullable(Type.Integer()),
      durationMs: Type.Integer(),
      error: Nullable(Type.String()),
    }),
  ),
});

const LevelSchema = Type.Object({
  notify: Type.Array(
    Type.String({
      maxLength: 254,
      description: 'A username, an e-mail address, a webhook endpoint id, or role:<role>',
    }),
    { minItems: 1, maxItems: NOTIFY_ENTRIES_MAX },
  ),
  ackTimeoutSeconds: Type.Integer({
    minimum: ACK_TIMEOUT_SECONDS_MIN,
    maximum: ACK_TIMEOUT_SECONDS_MAX,
  }),
});

const PolicySchema = Type.Object({
  severity: Type.Union([
    Type.Literal('P1'),
    Type.Literal('P2'),
    Type.Literal('P3'),
    Type.Literal('P4'),
  ]),
  levels: Type.Array(LevelSchema),
  repeat: Type.Integer(),
  isDefault: Type.Boolean({ description: 'Nobody set it: the built-in default applies' }),
  updatedBy: Nullable(Type.String()),
  updatedAt: Nullable(DateTime),
});

export const NotificationSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.Union([Type.Literal('event'), Type.Literal('page')], {
      description: 'event: something happened; page: you are asked to acknowledge (escalation)',
    }),
    type: Type.String({ description: 'The event type' }),
    eventId: Nullable(Type.String()),
    incidentId: Nullable(Type.String()),
    merchantNo: Nullable(Type.String()),
    severity: Nullable(Type.String()),
    drill: Type.Boolean(),
    title: Bilingual,
    text: Bilingual,
    link: Nullable(Type.String({ description: 'Console path of the page it is about' })),
    createdAt: DateTime,
    readAt: Nullable(DateTime),
  },
  { $id: 'Notification' },
);

function sseFrame(event: string, data: unknown, id?: string): string {
  return `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function notificationRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addSchema(NotificationSchema);
    const hub = new NotificationHub(ctx, app.log);
    app.addHook('preClose', async () => {
      await hub.close();
    });

    app.post(
      '/api/v1/webhooks',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Register a webhook endpoint (admin); the signing secret is shown once',
          body: Type.Object({
            url: Type.String({ maxLength: 2048, description: 'http(s), no credentials' }),
            events: Type.Array(
              Type.String({ maxLength: 64, description: `${EVENT_TYPES.join(' | ')} | *` }),
              { minItems: 1, maxItems: 50 },
            ),
            secret: Type.Optional(
              Type.String({ maxLength: 200, description: 'whsec_ + base64 of 24–64 bytes' }),
            ),
            description: Type.Optional(Type.String({ maxLength: 500 })),
          }),
          response: {
            201: Type.Object({
              id: Type.String(),
              secret: Type.String(),
              url: Type.String(),
              events: Type.Array(Type.String()),
              description: Nullable(Type.String()),
              createdAt: DateTime,
            }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const created = await createWebhook(ctx, principalOf(request), request.body);
        return reply.code(201).send(created);
      },
    );

    app.get(
      '/api/v1/webhooks',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Webhook endpoints with their delivery counts (admin, auditor); no secrets',
          response: { 200: Type.Object({ items: Type.Array(WebhookSchema) }), ...errorResponses },
        },
      },
      async (request) => listWebhooks(ctx, principalOf(request)),
    );

    app.delete(
      '/api/v1/webhooks/:id',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Disable a webhook endpoint (admin; audited); its log stays',
          params: IdParams,
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await disableWebhook(ctx, principalOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/v1/webhooks/:id/deliveries',
      {
        schema: {
          tags: ['notifications'],
          summary: "An endpoint's delivery log, newest first, each with its attempts",
          params: IdParams,
          querystring: Type.Object({
            status: Type.Optional(
              Type.Union([
                Type.Literal('pending'),
                Type.Literal('delivered'),
                Type.Literal('failed'),
              ]),
            ),
            limit: ListLimit,
            cursor: Cursor,
          }),
          response: {
            200: Type.Object({
              items: Type.Array(DeliverySchema),
              nextCursor: Type.Optional(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) =>
        listDeliveries(ctx, principalOf(request), request.params.id, request.query),
    );

    app.post(
      '/api/v1/webhooks/:id/deliveries/:deliveryId/redeliver',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Send a delivery again now, same webhook-id and body (admin; audited)',
          params: Type.Object({
            id: Type.String({ maxLength: 64 }),
            deliveryId: Type.String({ maxLength: 64 }),
          }),
          response: {
            202: Type.Object({
              deliveryId: Type.String(),
              status: Type.String({ description: 'The status before this attempt' }),
              queued: Type.Boolean({ description: 'False: a redelivery was already waiting' }),
            }),
            409: ProblemSchema,
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const outcome = await redeliverWebhook(ctx, principalOf(request), {
          endpointId: request.params.id,
          deliveryId: request.params.deliveryId,
        });
        return reply.code(202).send(outcome);
      },
    );

    app.post(
      '/api/v1/webhooks/:id/test',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Send a signed test message (type webhook.test) to the endpoint (admin)',
          params: IdParams,
          response: {
            202: Type.Object({ deliveryId: Type.String(), messageId: Type.String() }),
            409: ProblemSchema,
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const outcome = await testWebhook(ctx, principalOf(request), request.params.id);
        return reply.code(202).send(outcome);
      },
    );

    app.get(
      '/api/v1/email-deliveries',
      {
        schema: {
          tags: ['notifications'],
          summary: 'The e-mail log, newest first (admin, auditor); addresses masked',
          querystring: Type.Object({
            incidentId: Type.Optional(Type.String({ maxLength: 64 })),
            status: Type.Optional(
              Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('failed')]),
            ),
            limit: ListLimit,
            cursor: Cursor,
          }),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  id: Type.String(),
                  toMasked: Type.String(),
                  username: Nullable(Type.String()),
                  subject: Type.String(),
                  eventId: Nullable(Type.String()),
                  incidentId: Nullable(Type.String()),
                  status: Type.Union([
                    Type.Literal('pending'),
                    Type.Literal('sent'),
                    Type.Literal('failed'),
                  ]),
                  attemptCount: Type.Integer(),
                  nextAttemptAt: Nullable(DateTime),
                  createdAt: DateTime,
                  sentAt: Nullable(DateTime),
                  failedAt: Nullable(DateTime),
                  lastError: Nullable(Type.String()),
                }),
              ),
              nextCursor: Type.Optional(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => listEmailDeliveries(ctx, principalOf(request), request.query),
    );

    app.get(
      '/api/v1/escalation-policies',
      {
        schema: {
          tags: ['notifications'],
          summary: 'The escalation policy in force for each severity, P1 to P4 (staff)',
          response: { 200: Type.Object({ items: Type.Array(PolicySchema) }), ...errorResponses },
        },
      },
      async (request) => listEscalationPolicies(ctx, principalOf(request)),
    );

    app.get(
      '/api/v1/escalation-policies/:severity',
      {
        schema: {
          tags: ['notifications'],
          summary: 'The escalation policy in force for one severity (staff)',
          params: SeverityParams,
          response: { 200: PolicySchema, ...errorResponses },
        },
      },
      async (request) => getEscalationPolicy(ctx, principalOf(request), request.params.severity),
    );

    app.put(
      '/api/v1/escalation-policies/:severity',
      {
        schema: {
          tags: ['notifications'],
          summary: "Set a severity's escalation policy (admin; audited)",
          params: SeverityParams,
          body: Type.Object({
            levels: Type.Array(LevelSchema, { minItems: 1, maxItems: LEVELS_MAX }),
            repeat: Type.Integer({ minimum: 0, maximum: REPEAT_MAX }),
          }),
          response: { 200: PolicySchema, ...errorResponses },
        },
      },
      async (request) =>
        setEscalationPolicy(ctx, principalOf(request), request.params.severity, request.body),
    );

    app.get(
      '/api/v1/notifications',
      {
        schema: {
          tags: ['notifications'],
          summary: "The caller's own console notifications, newest first",
          querystring: Type.Object({
            unread: Type.Optional(Type.Boolean()),
            limit: ListLimit,
            cursor: Cursor,
          }),
          response: {
            200: Type.Object({
              items: Type.Array(Type.Ref('Notification')),
              nextCursor: Type.Optional(Type.String()),
              unreadCount: Type.Integer(),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => listNotifications(ctx, principalOf(request), request.query),
    );

    app.post(
      '/api/v1/notifications/read',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Mark some (ids) or all of the caller’s notifications read',
          body: Type.Object({
            ids: Type.Optional(
              Type.Array(Type.String({ maxLength: 20 }), { maxItems: READ_IDS_MAX }),
            ),
            all: Type.Optional(Type.Boolean()),
          }),
          response: {
            200: Type.Object({ updated: Type.Integer(), unreadCount: Type.Integer() }),
            ...errorResponses,
          },
        },
      },
      async (request) => markNotificationsRead(ctx, principalOf(request), request.body),
    );

    app.get(
      '/api/v1/notifications/stream',
      {
        schema: {
          tags: ['notifications'],
          summary: "The caller's new notifications, live (server-sent events)",
          description:
            'text/event-stream. First `retry: 5000`, then, after a reconnect with Last-Event-ID, ' +
            'the notifications missed since (at most 100), then `event: ready` with data ' +
            '`{"unreadCount":n}`, then `event: notification` (id: the notification id, data: a ' +
            'Notification) for each new one, and a `: heartbeat` comment every 25 s. A client ' +
            'may see a notification twice around a reconnect: keep them by id. At most 5 ' +
            'streams per user (more: 429 rate_limited).',
          response: { 429: ProblemSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        authorise(principal, 'notifications.read');
        const res = reply.raw;
        const stream = {
          closed: false,
          heartbeat: undefined as NodeJS.Timeout | undefined,
          unsubscribe: null as (() => void) | null,
        };
        const write = (chunk: string) => {
          if (!stream.closed) res.write(chunk);
        };
        const cleanup = () => {
          if (stream.closed) return;
          stream.closed = true;
          clearInterval(stream.heartbeat);
          stream.unsubscribe?.();
        };
        stream.unsubscribe = await hub.subscribe(principal.userId, {
          push: (n: NotificationView) => write(sseFrame('notification', n, n.id)),
          end: () => {
            cleanup();
            res.end();
          },
        });
        if (!stream.unsubscribe) {
          throw new DomainError('rate_limited', 'Too many notification streams open for this user');
        }
        reply.hijack();
        request.raw.on('close', cleanup);
        res.on('close', cleanup);
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        write('retry: 5000\n\n');
        stream.heartbeat = setInterval(() => write(': heartbeat\n\n'), SSE_HEARTBEAT_MS);
        try {
          const lastEventId = request.headers['last-event-id'];
          if (typeof lastEventId === 'string' && /^[0-9]{1,15}$/.test(lastEventId)) {
            const missed = await notificationsAfter(
              ctx.db,
              principal.userId,
              Number(lastEventId),
              CATCH_UP_MAX,
            );
            for (const row of missed) {
              const view = presentNotification(row);
              write(sseFrame('notification', view, view.id));
            }
          }
          write(sseFrame('ready', { unreadCount: await unreadCount(ctx.db, principal.userId) }));
        } catch (error) {
          request.log.error({ err: error }, 'notification stream failed to start');
          cleanup();
          res.end();
        }
      },
    );
  };
}
