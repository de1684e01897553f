/** Account changes on the linked incident's timeline, in the caller's transaction. */
import type { Queryable } from '../../storage/database.js';
import { addIncidentEvent } from '../incidents/timeline.js';
import type { RequestRow } from './store.js';

export type ChangeEventKind =
  | 'account_change_requested'
  | 'account_change_approved'
  | 'account_change_rejected'
  | 'account_change_cancelled'
  | 'account_change_verified'
  | 'account_change_verification_failed'
  | 'account_change_locked'
  | 'account_change_completed';

export async function changeOnTimeline(
  tx: Queryable,
  row: Pick<RequestRow, 'id' | 'incident_id' | 'account_number_masked'>,
  event: { kind: ChangeEventKind; actor: string; at: Date; text: { zh: string; en: string } },
): Promise<void> {
  if (!row.incident_id) return;
  await addIncidentEvent(tx, {
    incidentId: row.incident_id,
    at: event.at,
    kind: event.kind,
    actor: event.actor,
    text: event.text,
    data: { accountChangeId: row.id, accountNumberMasked: row.account_number_masked },
  });
}
