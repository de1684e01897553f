/**
 * Announcing an event: written to the outbox in the caller's transaction, with the job that
 * dispatches it to its subscribers. A crash after the commit loses nothing: the job is still in
 * the queue when any instance starts. See docs/adr/0011-outbox-and-jobs.md.
 */
import type { Queryable } from '../storage/database.js';
import type { AppContext } from './context.js';
import type { EventInput } from '../core/events.js';
import { enqueueJobs } from './jobs.js';

/** The job kind that fans one outbox event out to webhooks, e-mail and the console. */
export const DISPATCH_EVENT_JOB = 'event.dispatch';

export interface EmittedEvent {
  id: string;
  type: string;
  at: string;
}

export async function emitEvents(
  ctx: AppContext,
  tx: Queryable,
  events: readonly EventInput[],
  at: Date = ctx.now(),
): Promise<EmittedEvent[]> {
  if (events.length === 0) return [];
  const ids = events.map(() => ctx.newId());
  await tx.query(
    `INSERT INTO outbox_events (id, type, at, data, merchant_no, incident_id, drill)
     SELECT id, type, $3, data, merchant_no, incident_id, drill
       FROM unnest($1::uuid[], $2::text[], $4::jsonb[], $5::text[], $6::uuid[], $7::boolean[])
         AS e(id, type, data, merchant_no, incident_id, drill)`,
    [
      ids,
      events.map((e) => e.type),
      at,
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => e.merchantNo ?? null),
      events.map((e) => e.incidentId ?? null),
      events.map((e) => e.drill ?? false),
    ],
  );
  await enqueueJobs(
    tx,
    ids.map((id) => ({ kind: DISPATCH_EVENT_JOB, payload: { eventId: id }, runAt: at })),
    at,
  );
  return ids.map((id, i) => ({ id, type: events[i]?.type ?? '', at: at.toISOString() }));
}

export async function emitEvent(
  ctx: AppContext,
  tx: Queryable,
  event: EventInput,
  at: Date = ctx.now(),
): Promise<EmittedEvent> {
  const [emitted] = await emitEvents(ctx, tx, [event], at);
  if (!emitted) throw new Error('event not emitted');
  return emitted;
}
