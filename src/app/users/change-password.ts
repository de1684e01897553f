import type { AppContext } from '../context.js';
import { recordAudit } from '../audit.js';
import { DomainError, issue } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import {
  hashPassword,
  PASSWORD_LENGTH_MAX,
  PASSWORD_LENGTH_MIN,
  verifyPassword,
} from './credentials.js';

/** A signed-in user changes their own password; every other session of theirs ends. */
export async function changePassword(
  ctx: AppContext,
  principal: Principal,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  if (
    input.newPassword.length < PASSWORD_LENGTH_MIN ||
    input.newPassword.length > PASSWORD_LENGTH_MAX
  ) {
    throw new DomainError('validation_failed', 'The new password is too short or too long', [
      issue(
        'newPassword',
        'validation_failed',
        `${PASSWORD_LENGTH_MIN} to ${PASSWORD_LENGTH_MAX} characters`,
      ),
    ]);
  }
  const at = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ password_hash: string | null }>(
      'SELECT password_hash FROM users WHERE id = $1 FOR UPDATE',
      [principal.userId],
    );
    const stored = rows[0]?.password_hash;
    if (!stored || !verifyPassword(input.currentPassword, stored)) {
      throw new DomainError('current_password_wrong', 'The current password is wrong');
    }
    await tx.query('UPDATE users SET password_hash = $1 WHERE id = $2', [
      hashPassword(input.newPassword),
      principal.userId,
    ]);
    await tx.query('DELETE FROM sessions WHERE user_id = $1', [principal.userId]);
    await recordAudit(
      tx,
      {
        actor: principal.username,
        action: 'user.password_changed',
        entityType: 'user',
        entityId: principal.userId,
      },
      at,
    );
  });
}
