/**
 * What every use case receives: the database, the vault, a clock and an id source. Passing
 * them in keeps use cases testable and the core free of I/O.
 */
import crypto from 'node:crypto';
import type { Database } from '../storage/database.js';
import type { Vault } from './vault.js';
import { DomainError } from '../core/errors.js';
import { roleAllows, scopeAllows, type Permission, type Principal } from '../core/roles.js';

export interface AppContext {
  db: Database;
  vault: Vault;
  now: () => Date;
  newId: () => string;
}

export function createContext(options: {
  db: Database;
  vault: Vault;
  now?: () => Date;
  newId?: () => string;
}): AppContext {
  return {
    db: options.db,
    vault: options.vault,
    now: options.now ?? (() => new Date()),
    newId: options.newId ?? (() => crypto.randomUUID()),
  };
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
