/**
 * An incident's timeline (`incident_events`): every part that acts on an incident (screening's
 * containment, bank returns, people's moves, notifications, evidence, the case file) tells it
 * here, in the transaction of the act. Entries are never changed.
 */
import type { Queryable } from '../../storage/database.js';

export interface IncidentEvent {
  incidentId: string;
  at: Date;
  kind: string;
  actor: string;
  /** For people: Chinese first, English beside it. */
  text: { zh: string; en: string };
  data?: unknown;
}

/** Adds one entry to an incident's timeline, in the caller's transaction. */
export async function addIncidentEvent(tx: Queryable, event: IncidentEvent): Promise<void> {
  await tx.query(
    `INSERT INTO incident_events (incident_id, at, kind, actor, text, data)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      event.incidentId,
      event.at,
      event.kind,
      event.actor,
      JSON.stringify(event.text),
      JSON.stringify(event.data ?? {}),
    ],
  );
}
