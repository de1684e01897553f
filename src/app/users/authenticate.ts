/**
 * Turning a bearer token or a session cookie into a principal, logging in with a password, and
 * keeping the configured admin token in force.
 */
import type { AppContext } from '../context.js';
import { recordAudit } from '../audit.js';
import { DomainError } from '../../core/errors.js';
import type { Principal, Role } from '../../core/roles.js';
import { DUMMY_PASSWORD_HASH, hashToken, newToken, verifyPassword } from './credentials.js';

interface UserRow {
  id: string;
  username: string;
  role: Role;
  merchant_nos: string[];
  password_hash: string | null;
  disabled: boolean;
}

function toPrincipal(row: UserRow): Principal {
  return { userId: row.id, username: row.username, role: row.role, merchantNos: row.merchant_nos };
}

export async function authenticateToken(ctx: AppContext, token: string): Promise<Principal> {
  const { rows } = await ctx.db.query<UserRow>(
    'SELECT id, username, role, merchant_nos, disabled FROM users WHERE token_hash = $1',
    [hashToken(token)],
  );
  const row = rows[0];
  if (!row || row.disabled) throw new DomainError('unauthenticated', 'Unknown or revoked token');
  return toPrincipal(row);
}

export async function authenticateSession(ctx: AppContext, sessionId: string): Promise<Principal> {
  const { rows } = await ctx.db.query<UserRow>(
    `SELECT u.id, u.username, u.role, u.merchant_nos, u.disabled
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > $2`,
    [hashToken(sessionId), ctx.now()],
  );
  const row = rows[0];
  if (!row || row.disabled) throw new DomainError('unauthenticated', 'Session expired');
  return toPrincipal(row);
}

/** Checks the password and opens a session; the returned id goes into the cookie only. */
export async function login(
  ctx: AppContext,
  input: { username: string; password: string; sessionTtlMs: number },
): Promise<{ principal: Principal; sessionId: string; expiresAt: Date }> {
  const { rows } = await ctx.db.query<UserRow>(
    'SELECT id, username, role, merchant_nos, password_hash, disabled FROM users WHERE username = $1',
    [input.username],
  );
  const row = rows[0];
  // Always run scrypt once, so that an unknown username takes as long as a wrong password.
  const valid = verifyPassword(input.password, row?.password_hash ?? DUMMY_PASSWORD_HASH);
  if (!row || !row.password_hash || !valid || row.disabled) {
    throw new DomainError('invalid_credentials', 'Wrong username or password');
  }
  const sessionId = newToken();
  const at = ctx.now();
  const expiresAt = new Date(at.getTime() + input.sessionTtlMs);
  await ctx.db.transaction(async (tx) => {
    await tx.query('DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2', [row.id, at]);
    await tx.query(
      'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
      [hashToken(sessionId), row.id, at, expiresAt],
    );
    await recordAudit(
      tx,
      {
        actor: row.username,
        action: 'session.opened',
        entityType: 'user',
        entityId: row.id,
      },
      at,
    );
  });
  return { principal: toPrincipal(row), sessionId, expiresAt };
}

export async function logout(ctx: AppContext, sessionId: string): Promise<void> {
  await ctx.db.query('DELETE FROM sessions WHERE token_hash = $1', [hashToken(sessionId)]);
}

/** Makes `admin` exist with the configured token (SETTLEGUARD_ADMIN_TOKEN). */
export async function ensureAdminToken(ctx: AppContext, token: string): Promise<void> {
  const tokenHash = hashToken(token);
  await ctx.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; token_hash: string | null; role: string }>(
      "SELECT id, token_hash, role FROM users WHERE username = 'admin' FOR UPDATE",
    );
    const existing = rows[0];
    if (existing && existing.token_hash === tokenHash && existing.role === 'admin') return;
    const at = ctx.now();
    const id = existing?.id ?? ctx.newId();
    if (existing) {
      await tx.query("UPDATE users SET token_hash = $1, role = 'admin' WHERE id = $2", [
        tokenHash,
        id,
      ]);
    } else {
      await tx.query(
        `INSERT INTO users (id, username, role, token_hash, created_at)
         VALUES ($1, 'admin', 'admin', $2, $3)`,
        [id, tokenHash, at],
      );
    }
    await recordAudit(
      tx,
      {
        actor: 'system',
        action: existing ? 'user.token_replaced' : 'user.created',
        entityType: 'user',
        entityId: id,
        after: { username: 'admin', role: 'admin', source: 'SETTLEGUARD_ADMIN_TOKEN' },
      },
      at,
    );
  });
}
