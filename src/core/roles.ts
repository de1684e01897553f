/**
 * Who may do what: one table from action to the roles allowed. Merchant users are further
 * confined to their own merchants by `scopeAllows`; objects outside the scope are reported as
 * not found so that their existence does not leak.
 */

export const ROLES = [
  'admin',
  'risk',
  'ops',
  'approver',
  'support',
  'auditor',
  'merchant',
  // The acquirer's switch: pushes transactions and asks whether a terminal may transact.
  'switch',
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  'users.create': ['admin'],
  'users.list': ['admin'],
  'merchants.create': ['admin', 'ops'],
  'merchants.read': ['admin', 'risk', 'ops', 'approver', 'support', 'auditor', 'merchant'],
  'terminals.create': ['admin', 'ops'],
  'terminals.read': ['admin', 'risk', 'ops', 'approver', 'support', 'auditor', 'merchant'],
  'terminals.suspend': ['admin', 'risk'],
  'terminals.resume': ['admin', 'risk'],
  'registry.import': ['admin', 'ops'],
  'alerts.read': ['admin', 'risk', 'ops', 'approver', 'support', 'auditor', 'merchant'],
  'accounts.check': ['admin', 'risk', 'ops', 'approver', 'support'],
  'audit.verify': ['admin', 'auditor'],
  // Reading the trail: who did what, in order (masked before/after only).
  'audit.read': ['admin', 'auditor', 'risk'],
  'transactions.ingest': ['admin', 'ops', 'switch'],
  'transactions.read': ['admin', 'risk', 'ops', 'approver', 'support', 'auditor', 'merchant'],
  'authorize.check': ['admin', 'risk', 'ops', 'switch'],
  'incidents.read': ['admin', 'risk', 'ops', 'approver', 'support', 'auditor', 'merchant'],
  // Working an incident. Moves between statuses have their own table, with roles per move, in
  // core/incidents/lifecycle.ts; these are the other actions on an incident.
  'incidents.assign': ['admin', 'risk', 'ops'],
  // Support logs calls with merchants and cardholders on the incident; auditors only read.
  'incidents.comment': ['admin', 'risk', 'ops', 'approver', 'support'],
  'incidents.root_cause': ['admin', 'risk', 'ops'],
  'incidents.post_mortem': ['admin', 'risk', 'ops'],
  'incidents.severity': ['admin', 'risk'],
  // The dashboard's figures are the acquirer's; merchant users see their incidents in the list.
  'incidents.stats': ['admin', 'risk', 'ops', 'approver', 'support', 'auditor'],
  'drills.start': ['admin', 'risk'],
  // Settlement. Runs and their lines are the acquirer's; a merchant user sees its own balance
  // and lines through ledger.read, scoped.
  'settlement.run': ['admin', 'ops'],
  'settlement.read': ['admin', 'risk', 'ops', 'approver', 'support', 'auditor'],
  'settlement.payout_file': ['admin', 'ops'],
  // The acquirer's clearing system pushes bank results as the switch role, like transactions.
  'settlement.results': ['admin', 'ops', 'switch'],
  'settlement.release': ['admin', 'approver'],
  'ledger.read': ['admin', 'risk', 'ops', 'approver', 'support', 'auditor', 'merchant'],
  'ledger.verify': ['admin', 'auditor', 'ops'],
  // Evidence (ADR 14). Merchant users may add files to their own merchant's incidents and see
  // and download only what they added themselves; staff's notes and the snapshots stay internal.
  'evidence.add': ['admin', 'risk', 'ops', 'support', 'merchant'],
  'evidence.read': ['admin', 'risk', 'ops', 'approver', 'support', 'auditor', 'merchant'],
  'evidence.verify': ['admin', 'risk', 'ops', 'auditor'],
  'evidence.export': ['admin', 'risk', 'ops', 'auditor'],
  // The case file for the bank or payment institution, and the record of its sending.
  'case_file.read': ['admin', 'risk', 'ops', 'auditor'],
  'case_file.record_sent': ['admin', 'risk', 'ops'],
  // Notifications (ADR 13). Webhooks and escalation policies decide what leaves the system and
  // who is woken up: admin only; auditors read the delivery log. The bell is everyone's own.
  'users.update': ['admin'],
  'webhooks.manage': ['admin'],
  'webhooks.read': ['admin', 'auditor'],
  'escalation.manage': ['admin'],
  'escalation.read': ['admin', 'risk', 'ops', 'approver', 'support', 'auditor'],
  'notifications.read': ['admin', 'risk', 'ops', 'approver', 'support', 'auditor', 'merchant'],
  // Merchant documents (ADR 15). Merchant users upload and read their own; every staff role reads
  // the metadata; the files (ID card images) only those who check them, never support, auditor
  // or switch; approvers and admins review.
  'documents.upload': ['admin', 'risk', 'ops', 'support', 'merchant'],
  'documents.read': ['admin', 'risk', 'ops', 'approver', 'support', 'auditor', 'merchant'],
  'documents.file': ['admin', 'risk', 'ops', 'approver', 'merchant'],
  'documents.review': ['admin', 'approver'],
  // The contact log of an incident (customers, partners, the merchant, the bank): staff only.
  'contacts.log': ['admin', 'risk', 'ops', 'support'],
  'contacts.read': ['admin', 'risk', 'ops', 'approver', 'support', 'auditor'],
  // Account changes (ADR 16): merchants ask for their own; approvers and admins decide, never
  // on their own request; the merchant (or ops for it) confirms the micro-deposit amount.
  'account_changes.request': ['admin', 'risk', 'ops', 'merchant'],
  'account_changes.read': ['admin', 'risk', 'ops', 'approver', 'support', 'auditor', 'merchant'],
  'account_changes.approve': ['admin', 'approver'],
  'account_changes.cancel': ['admin', 'risk', 'ops', 'merchant'],
  'account_changes.consent': ['admin', 'risk', 'ops', 'merchant'],
  'account_changes.verify': ['admin', 'risk', 'ops', 'merchant'],
  'account_changes.confirm': ['admin', 'ops', 'merchant'],
  // Remediation of affected payments (ADR 17): the people who work incidents open and update
  // remediations, record recovery receipts and pay refunds; writing off a loss is a decision
  // of risk, approvers and admins. Merchant users read their incidents' remediations.
  'remediation.read': ['admin', 'risk', 'ops', 'approver', 'support', 'auditor', 'merchant'],
  'remediation.manage': ['admin', 'risk', 'ops'],
  'remediation.refund_paid': ['admin', 'ops'],
  'remediation.receipt': ['admin', 'risk', 'ops'],
  'remediation.write_off': ['admin', 'risk', 'approver'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export interface Principal {
  userId: string;
  username: string;
  role: Role;
  /** Only meaningful for role `merchant`: the merchants this user may see. */
  merchantNos: readonly string[];
}

export function roleAllows(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Staff see every merchant; a merchant user sees only its own. */
export function scopeAllows(principal: Principal, merchantNo: string): boolean {
  return principal.role !== 'merchant' || principal.merchantNos.includes(merchantNo);
}

/** The merchant numbers a query must be limited to, or null for no limit. */
export function merchantScope(principal: Principal): readonly string[] | null {
  return principal.role === 'merchant' ? principal.merchantNos : null;
}
