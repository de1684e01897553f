/** Marking the caller's own console notifications read: some by id, or all of them. */
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { DomainError } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import { unreadCount } from './queries.js';

export const READ_IDS_MAX = 500;

export async function markNotificationsRead(
  ctx: AppContext,
  principal: Principal,
  input: { ids?: string[] | undefined; all?: boolean | undefined },
): Promise<{ updated: number; unreadCount: number }> {
  authorise(principal, 'notifications.read');
  const ids = input.ids ?? [];
  if (input.all !== true && ids.length === 0) {
    throw new DomainError('validation_failed', 'Send ids or all: true');
  }
  if (ids.length > READ_IDS_MAX || ids.some((id) => !/^[0-9]{1,15}$/.test(id))) {
    throw new DomainError('validation_failed', `ids: at most ${READ_IDS_MAX} notification ids`);
  }
  const { rowCount } = await ctx.db.query(
    `UPDATE notifications SET read_at = $2
      WHERE user_id = $1 AND read_at IS NULL AND ($3 OR id = ANY($4::bigint[]))`,
    [principal.userId, ctx.now(), input.all === true, ids.map(Number)],
  );
  return { updated: rowCount, unreadCount: await unreadCount(ctx.db, principal.userId) };
}
