/**
 * First start of an embedded installation: nobody can sign in to the console yet. Gives the
 * `admin` user a random password, returned once so that the caller can show it to the person
 * who started SettleGuard (and keep it in a 0600 file in the data folder), the way
 * self-hosted servers hand out their first administrator password.
 */
import crypto from 'node:crypto';
import type { AppContext } from '../context.js';
import { recordAudit } from '../audit.js';
import { hashPassword } from './credentials.js';

/** Returns the new password, or null when some user can already sign in with one. */
export async function ensureInitialAdmin(ctx: AppContext): Promise<string | null> {
  return ctx.db.transaction(async (tx) => {
    const withPassword = await tx.query(
      'SELECT 1 FROM users WHERE password_hash IS NOT NULL AND NOT disabled LIMIT 1',
    );
    if (withPassword.rowCount > 0) return null;
    const password = crypto.randomBytes(12).toString('base64url');
    const at = ctx.now();
    const existing = await tx.query<{ id: string }>(
      "SELECT id FROM users WHERE username = 'admin' FOR UPDATE",
    );
    const id = existing.rows[0]?.id ?? ctx.newId();
    if (existing.rows[0]) {
      await tx.query('UPDATE users SET password_hash = $1 WHERE id = $2', [
        hashPassword(password),
        id,
      ]);
    } else {
      await tx.query(
        `INSERT INTO users (id, username, role, password_hash, created_at)
         VALUES ($1, 'admin', 'admin', $2, $3)`,
        [id, hashPassword(password), at],
      );
    }
    await recordAudit(
      tx,
      {
        actor: 'system',
        action: 'user.initial_password_set',
        entityType: 'user',
        entityId: id,
        after: { username: 'admin', role: 'admin' },
      },
      at,
    );
    return password;
  });
}
