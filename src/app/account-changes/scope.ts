import { DomainError } from '../../core/errors.js';
import { scopeAllows, type Principal } from '../../core/roles.js';
export { authorise } from '../context.js';

/** Outside the caller's merchants, an account change does not exist. */
export function scopeAllowsOrNotFound(principal: Principal, merchantNo: string): void {
  if (!scopeAllows(principal, merchantNo)) {
    throw new DomainError('not_found', 'Account change not found');
  }
}
