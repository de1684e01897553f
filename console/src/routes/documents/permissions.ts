import type { Role } from '../../api/types';

/**
 * What the document screens offer each role. The server decides (src/core/roles.ts); this only
 * hides what a role would be refused.
 */
const STAFF: readonly Role[] = ['admin', 'risk', 'ops', 'approver', 'support', 'auditor'];
const UPLOAD_ROLES: readonly Role[] = ['admin', 'risk', 'ops', 'support', 'merchant'];
// An ID card's picture is for those who decide on it, and the merchant's own users: not for
// support, auditors or the switch.
const FILE_ROLES: readonly Role[] = ['admin', 'risk', 'ops', 'approver', 'merchant'];
const REVIEW_ROLES: readonly Role[] = ['admin', 'approver'];

/** The review queue and any merchant's documents (metadata only). */
export function canReadDocumentQueue(role: Role): boolean {
  return STAFF.includes(role);
}

/** Upload a document: staff who take them in, and the merchant for itself. */
export function canUploadDocuments(role: Role): boolean {
  return UPLOAD_ROLES.includes(role);
}

/** See the document's picture or PDF. */
export function canSeeDocumentFile(role: Role): boolean {
  return FILE_ROLES.includes(role);
}

/** Accept or reject a document, with what was read off it. */
export function canReviewDocuments(role: Role): boolean {
  return REVIEW_ROLES.includes(role);
}
