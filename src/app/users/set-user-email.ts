/**
 * Setting or clearing a user's e-mail address (admin), where escalations reach them. Checked
 * as a plain address; audited with the address masked.
 */
import type { AppContext } from '../context.js';
import { authorise } from '../context.js';
import { lockAuditChain, recordAudit } from '../audit.js';
import { DomainError, issue } from '../../core/errors.js';
import type { Principal, Role } from '../../core/roles.js';
import { maskEmail, normaliseEmail } from '../../core/notifications/addresses.js';

export interface UserView {
  id: string;
  username: string;
  role: Role;
  merchantNos: string[];
  email: string | null;
  disabled: boolean;
}

export async function setUserEmail(
  ctx: AppContext,
  principal: Principal,
  input: { username: string; email: string | null },
): Promise<UserView> {
  authorise(principal, 'users.update');
  const email =
    input.email === null || input.email.trim() === '' ? null : normaliseEmail(input.email);
  if (input.email !== null && input.email.trim() !== '' && email === null) {
    throw new DomainError('email_format', 'Not a plain e-mail address', [
      issue('email', 'email_format', 'Not a plain e-mail address (local@domain.tld)'),
    ]);
  }
  const at = ctx.now();
  return ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    const { rows } = await tx.query<{
      id: string;
      username: string;
      role: Role;
      merchant_nos: string[];
      email: string | null;
      disabled: boolean;
    }>(
      `SELECT id, username, role, merchant_nos, email, disabled FROM users
        WHERE username = $1 FOR UPDATE`,
      [input.username],
    );
    const user = rows[0];
    if (!user) throw new DomainError('not_found', `No user ${input.username}`);
    if (user.email !== email) {
      await tx.query('UPDATE users SET email = $2 WHERE id = $1', [user.id, email]);
      await recordAudit(
        tx,
        {
          actor: principal.username,
          action: 'user.email_changed',
          entityType: 'user',
          entityId: user.id,
          before: { email: user.email === null ? null : maskEmail(user.email) },
          after: { email: email === null ? null : maskEmail(email) },
        },
        at,
      );
    }
    return {
      id: user.id,
      username: user.username,
      role: user.role,
      merchantNos: user.merchant_nos,
      email,
      disabled: user.disabled,
    };
  });
}
