/**
 * What every use case receives: the database, the vault, a clock and an id source. Passing
 * them in keeps use cases testable and the core free of I/O.
 */
import crypto from 'node:crypto';
import type { Database, Queryable } from '../storage/database.js';
import type { Vault } from './vault.js';
import type { RegistryIndex, RegistryChange } from './screening/registry-index.js';
import { announceRegistryChange } from './screening/registry-index.js';
import { lockAuditChain } from './audit.js';
import { DomainError } from '../core/errors.js';
import { roleAllows, scopeAllows, type Permission, type Principal } from '../core/roles.js';

export interface AppContext {
  db: Database;
  vault: Vault;
  now: () => Date;
  newId: () => string;
  /** The in-memory registry index of a serving process; null in one-shot commands. */
  index: RegistryIndex | null;
}

export function createContext(options: {
  db: Database;
  vault: Vault;
  now?: () => Date;
  newId?: () => string;
  index?: RegistryIndex | null;
}): AppContext {
  return {
    db: options.db,
    vault: options.vault,
    now: options.now ?? (() => new Date()),
    newId: options.newId ?? (() => crypto.randomUUID()),
    index: options.index ?? null,
  };
}

/**
 * Runs a registry change in one transaction, announces it to every instance when it commits,
 * and refreshes this process's index before returning, so that the next request sees it.
 */
export async function changeRegistry<T>(
  ctx: AppContext,
  work: (tx: Queryable, changed: (change: RegistryChange) => void) => Promise<T>,
): Promise<T> {
  const merchants = new Set<string>();
  const terminals = new Set<string>();
  const result = await ctx.db.transaction(async (tx) => {
    await lockAuditChain(tx);
    const value = await work(tx, (change) => {
      for (const m of change.merchants ?? []) merchants.add(m);
      for (const t of change.terminals ?? []) terminals.add(t);
    });
    if (merchants.size + terminals.size > 0) {
      await announceRegistryChange(tx, { merchants: [...merchants], terminals: [...terminals] });
    }
    return value;
  });
  if (ctx.index && merchants.size + terminals.size > 0) {
    await ctx.index.refresh(ctx.db, { merchants: [...merchants], terminals: [...terminals] });
  }
  return result;
}

/** Throws `forbidden` unless the principal's role holds the permission. */
export function authorise(principal: Principal, permission: Permission): void {
  if (!roleAllows(principal.role, permission)) {
    throw new DomainError('forbidden', `Role ${principal.role} may not ${permission}`);
  }
}

/** Throws `not_found` for a merchant outside the principal's scope. */
export function ensureInScope(principal: Principal, merchantNo: string, what: string): void {
  if (!scopeAllows(principal, merchantNo)) {
    throw new DomainError('not_found', `${what} not found`);
  }
}
