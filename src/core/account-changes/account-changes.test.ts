import { describe, expect, it } from 'vitest';
import {
  accountChecks,
  allowedActions,
  approvalRefusal,
  approvedAfter,
  assessRisk,
  confirmOutcome,
  confirmRefusal,
  displayStatus,
  missingDocuments,
  requiredDocumentTypes,
  unacceptedDocuments,
  velocityExceeded,
  verificationStartRefusal,
  type RequestFacts,
} from './index.js';

const TODAY = '2026-11-26';

describe('required documents', () => {
  it('follows the merchant type and the account type', () => {
    expect(
      requiredDocumentTypes({
        merchantType: 'enterprise',
        accountType: 'corporate',
        holderIsMerchantOrLegalPerson: true,
      }),
    ).toEqual(['business_license', 'account_opening_permit']);
    expect(
      requiredDocumentTypes({
        merchantType: 'individual_business',
        accountType: 'personal',
        holderIsMerchantOrLegalPerson: true,
      }),
    ).toEqual(['business_license', 'legal_person_id_front', 'legal_person_id_back', 'bank_card']);
    expect(
      requiredDocumentTypes({
        merchantType: 'individual_business',
        accountType: 'corporate',
        holderIsMerchantOrLegalPerson: true,
      }),
    ).toEqual(['business_license', 'account_opening_permit']);
    expect(
      requiredDocumentTypes({
        merchantType: 'micro',
        accountType: 'personal',
        holderIsMerchantOrLegalPerson: true,
      }),
    ).toEqual(['legal_person_id_front', 'legal_person_id_back', 'bank_card']);
  });

  it('adds the authorisation letter for a holder who is not the merchant or its legal person', () => {
    expect(
      requiredDocumentTypes({
        merchantType: 'enterprise',
        accountType: 'corporate',
        holderIsMerchantOrLegalPerson: false,
      }),
    ).toEqual(['business_license', 'account_opening_permit', 'settlement_authorization']);
  });

  it('counts pending and accepted unexpired documents as present, only accepted ones as approvable', () => {
    const required = ['business_license', 'account_opening_permit', 'bank_card'];
    const attached = [
      { type: 'business_license', status: 'accepted' as const, expiresOn: '2030-01-01' },
      { type: 'account_opening_permit', status: 'pending_review' as const, expiresOn: null },
      { type: 'bank_card', status: 'accepted' as const, expiresOn: '2026-11-25' },
    ];
    expect(missingDocuments(required, attached, TODAY)).toEqual(['bank_card']);
    expect(unacceptedDocuments(required, attached, TODAY)).toEqual([
      'account_opening_permit',
      'bank_card',
    ]);
    // Valid through its expiry date.
    expect(
      missingDocuments(
        ['bank_card'],
        [{ type: 'bank_card', status: 'accepted', expiresOn: TODAY }],
        TODAY,
      ),
    ).toEqual([]);
    expect(
      missingDocuments(
        ['bank_card'],
        [{ type: 'bank_card', status: 'rejected', expiresOn: null }],
        TODAY,
      ),
    ).toEqual(['bank_card']);
  });
});

describe('risk and velocity', () => {
  it('needs two approvers for each high-risk reason, one otherwise', () => {
    expect(
      assessRisk({ nameCheckResult: 'match', openIncident: false, otherMerchantsUsingAccount: 0 }),
    ).toEqual({ highRisk: false, riskReasons: [], approvalsNeeded: 1 });
    expect(
      assessRisk({
        nameCheckResult: 'close_match',
        openIncident: false,
        otherMerchantsUsingAccount: 0,
      }),
    ).toEqual({ highRisk: false, riskReasons: [], approvalsNeeded: 1 });
    expect(
      assessRisk({
        nameCheckResult: 'no_match',
        openIncident: true,
        otherMerchantsUsingAccount: 2,
      }),
    ).toEqual({
      highRisk: true,
      riskReasons: ['name_no_match', 'open_incident', 'account_used_by_other_merchant'],
      approvalsNeeded: 2,
    });
    expect(
      assessRisk({ nameCheckResult: 'match', openIncident: true, otherMerchantsUsingAccount: 0 })
        .approvalsNeeded,
    ).toBe(2);
  });

  it('refuses at the limit', () => {
    expect(velocityExceeded({ recentChanges: 1, max: 2 })).toBe(false);
    expect(velocityExceeded({ recentChanges: 2, max: 2 })).toBe(true);
  });
});

describe('checks', () => {
  it('lists every check with its result', () => {
    const checks = accountChecks({
      accountType: 'personal',
      accountNumberMasked: '6222 **** **** 4562',
      warningCodes: ['bin_bank_mismatch'],
      binBank: '中国工商银行',
      bankCode: null,
      bankName: '中国建设银行',
      nameCheck: { result: 'no_match', comparedWith: 'legal_person' },
      expectedName: '张丽',
      accountName: '赵强',
      otherMerchantsUsingAccount: 1,
      sameAsCurrent: false,
    });
    expect(checks.map((c) => [c.code, c.result])).toEqual([
      ['account_number', 'pass'],
      ['account_type', 'pass'],
      ['bank', 'warn'],
      ['holder_name', 'fail'],
      ['account_reuse', 'fail'],
    ]);
    for (const c of checks) {
      expect(c.message.zh.length).toBeGreaterThan(0);
      expect(c.message.en.length).toBeGreaterThan(0);
    }
  });
});

const base: RequestFacts = {
  stage: 'pending_approval',
  requestedBy: 'ops1',
  approvals: [],
  approvalsNeeded: 1,
  unacceptedDocuments: [],
  consentRecorded: true,
  attemptsLeft: 3,
  verification: null,
};
const approver = { username: 'appr1', role: 'approver' as const };

describe('approval', () => {
  it('refuses the requester, a second approval by the same person, missing documents and consent', () => {
    expect(approvalRefusal(base, { username: 'ops1', role: 'admin' })).toBe('four_eyes_violation');
    expect(approvalRefusal({ ...base, approvals: [{ by: 'appr1' }] }, approver)).toBe(
      'four_eyes_violation',
    );
    expect(approvalRefusal({ ...base, unacceptedDocuments: ['bank_card'] }, approver)).toBe(
      'documents_missing',
    );
    expect(approvalRefusal({ ...base, consentRecorded: false }, approver)).toBe('consent_missing');
    expect(approvalRefusal(base, { username: 'x', role: 'ops' })).toBe('forbidden');
    expect(approvalRefusal({ ...base, stage: 'rejected' }, approver)).toBe('invalid_state');
    expect(approvalRefusal(base, approver)).toBeNull();
  });

  it('is approved once enough different approvers have approved', () => {
    expect(approvedAfter(base)).toBe(true);
    expect(approvedAfter({ ...base, approvalsNeeded: 2 })).toBe(false);
    expect(approvedAfter({ ...base, approvalsNeeded: 2, approvals: [{ by: 'a' }] })).toBe(true);
  });

  it('shows pending_documents while a document is missing', () => {
    expect(displayStatus('pending_approval', ['bank_card'])).toBe('pending_documents');
    expect(displayStatus('pending_approval', [])).toBe('pending_approval');
    expect(displayStatus('completed', ['bank_card'])).toBe('completed');
  });
});

describe('verification', () => {
  const verifying: RequestFacts = {
    ...base,
    stage: 'pending_verification',
    approvals: [{ by: 'appr1' }],
  };

  it('starts once approved, again only after a return', () => {
    expect(verificationStartRefusal(base)).toBe('invalid_state');
    expect(verificationStartRefusal(verifying)).toBeNull();
    expect(
      verificationStartRefusal({
        ...verifying,
        verification: { method: 'micro_deposit', status: 'sent' },
      }),
    ).toBe('invalid_state');
    expect(
      verificationStartRefusal({
        ...verifying,
        verification: { method: 'micro_deposit', status: 'returned' },
      }),
    ).toBeNull();
  });

  it('confirms only a deposit that went out, and locks after three wrong amounts', () => {
    expect(
      confirmRefusal({
        ...verifying,
        verification: { method: 'micro_deposit', status: 'awaiting_file' },
      }),
    ).toBe('verification_not_sent');
    expect(
      confirmRefusal({ ...verifying, verification: { method: 'micro_deposit', status: 'sent' } }),
    ).toBeNull();
    expect(
      confirmRefusal({ ...verifying, verification: { method: 'micro_deposit', status: 'paid' } }),
    ).toBeNull();
    expect(
      confirmRefusal({
        ...verifying,
        verification: { method: 'test_transaction', status: 'awaiting_transaction' },
      }),
    ).toBe('invalid_state');
    let facts = { attemptsLeft: 3 };
    const outcomes = [11, 12, 13].map((givenFen) => {
      const o = confirmOutcome(facts, { givenFen, expectedFen: 42 });
      facts = { attemptsLeft: o.attemptsLeft };
      return o;
    });
    expect(outcomes).toEqual([
      { matched: false, attemptsLeft: 2, locked: false },
      { matched: false, attemptsLeft: 1, locked: false },
      { matched: false, attemptsLeft: 0, locked: true },
    ]);
    expect(confirmOutcome({ attemptsLeft: 1 }, { givenFen: 42, expectedFen: 42 })).toEqual({
      matched: true,
      attemptsLeft: 1,
      locked: false,
    });
  });

  it('offers each caller only what it may do', () => {
    expect(allowedActions(base, approver)).toEqual(['approve', 'reject']);
    expect(allowedActions(base, { username: 'ops1', role: 'ops' })).toEqual([
      'cancel',
      'attach_documents',
    ]);
    expect(
      allowedActions({ ...base, consentRecorded: false }, { username: 'm', role: 'merchant' }),
    ).toEqual(['cancel', 'attach_documents', 'record_consent']);
    expect(allowedActions(verifying, { username: 'm', role: 'merchant' })).toEqual([
      'cancel',
      'start_verification',
    ]);
    expect(
      allowedActions(
        { ...verifying, verification: { method: 'micro_deposit', status: 'sent' } },
        { username: 'm', role: 'merchant' },
      ),
    ).toEqual(['cancel', 'confirm']);
    expect(allowedActions({ ...base, stage: 'locked' }, { username: 'a', role: 'admin' })).toEqual(
      [],
    );
    expect(allowedActions(base, { username: 'aud', role: 'auditor' })).toEqual([]);
  });
});
