/**
 * The events SettleGuard announces to the people and systems that subscribe (webhooks, e-mail,
 * the console's notification bell). API.md fixes the names; a delivery's body is
 * `{ type, timestamp, data }`.
 */
export const EVENT_TYPES = [
  'incident.opened',
  'incident.escalated',
  'incident.acknowledged',
  'incident.resolved',
  'terminal.suspended',
  'terminal.resumed',
  'settlement.held',
  'settlement.released',
  'account.changed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * What an event says. Only masked values and identifiers: an event leaves the system (a
 * webhook, an e-mail), so it never carries a card or account number in clear.
 */
export interface EventInput {
  type: EventType;
  data: Record<string, unknown>;
  merchantNo?: string | null;
  incidentId?: string | null;
  drill?: boolean;
}
