/**
 * The transaction pipeline end to end through the HTTP API: validation, idempotency,
 * screening against the index, and containment committed with the alerts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/app.js';
import { enterpriseRecord, IDS, microRecord } from './support/fixtures.js';
import { verifyAuditTrail } from '../src/app/audit.js';
import { TEST_DATABASE_URL } from './support/database.js';

let t: TestApp;
const admin = bearer(ADMIN_TOKEN);
const PAN = '6222020200001234562';

const M = {
  clean: '600000000000001',
  other: '600000000000002',
  mismatch: '600000000000003',
  sharedA: '600000000000004',
  sharedB: '600000000000005',
  pending: '600000000000006',
};

function txn(
  id: string,
  terminalId: string,
  merchantNo: string,
  extra: Record<string, unknown> = {},
) {
  return {
    id,
    terminalId,
    merchantNo,
    type: 'purchase',
    amountFen: 12_800,
    occurredAt: '2026-11-26T07:30:00Z',
    ...extra,
  };
}

async function ingest(transactions: unknown[], headers = admin) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/transactions',
    headers,
    payload: { transactions },
  });
  return response;
}

type Result = {
  id: string | null;
  outcome: string;
  decision?: string;
  alerts?: string[];
  error?: { code: string };
};

async function results(transactions: unknown[]): Promise<Record<string, Result>> {
  const response = await ingest(transactions);
  expect(response.statusCode).toBe(200);
  const body = response.json<{ results: Result[] }>();
  expect(body.results).toHaveLength(transactions.length);
  return Object.fromEntries(body.results.map((r, i) => [r.id ?? `#${i}`, r]));
}

async function get<T>(url: string): Promise<T> {
  const response = await t.app.inject({ method: 'GET', url, headers: admin });
  expect(response.statusCode, url).toBe(200);
  return response.json<T>();
}

interface Incident {
  id: string;
  merchantNo: string;
  status: string;
  severity: string;
  relatedMerchantNos: string[];
  containment: { terminalsSuspended: string[]; settlementHeld: boolean };
  alerts: { id: string; rule: string; explanation: { zh: string; en: string } }[];
  timeline: { kind: string; text: { zh: string } }[];
}

async function openIncidents(merchantNo: string): Promise<Incident[]> {
  const list = await get<{ items: { id: string; status: string }[] }>(
    `/api/v1/incidents?merchantNo=${merchantNo}`,
  );
  const open = list.items.filter((i) => !['resolved', 'closed'].includes(i.status));
  return Promise.all(open.map((i) => get<Incident>(`/api/v1/incidents/${i.id}`)));
}

beforeAll(async () => {
  t = await startTestApp();
  const shared = IDS.cardAbc;
  const imported = await t.app.inject({
    method: 'POST',
    url: '/api/v1/import',
    headers: admin,
    payload: {
      records: [
        enterpriseRecord({ merchantNo: M.clean, terminalIds: ['E0000001'] }),
        enterpriseRecord({
          merchantNo: M.other,
          terminalIds: ['E0000002'],
          legalIdNumber: IDS.residentIdValid2,
          accountNumber: '1001234509000099999',
        }),
        {
          ...microRecord({
            merchantNo: M.mismatch,
            accountName: '赵强',
            accountNumber: IDS.cardCcb,
          }),
          terminals: [
            {
              terminalId: 'E0000003',
              serialNumber: 'SNE3000',
              model: 'PAX A920',
              firmwareVersion: 'V2.3.1',
            },
          ],
        },
        {
          ...microRecord({
            merchantNo: M.sharedA,
            personName: '陈静',
            accountName: '陈静',
            accountNumber: shared,
            legalIdNumber: IDS.residentIdValid2,
          }),
          terminals: [
            {
              terminalId: 'E0000004',
              serialNumber: 'SNE4000',
              model: 'PAX A920',
              firmwareVersion: 'V2.3.1',
            },
          ],
        },
        {
          ...microRecord({
            merchantNo: M.sharedB,
            personName: '周婷',
            accountName: '周婷',
            accountNumber: shared,
            legalIdNumber: IDS.residentIdValid4,
          }),
          terminals: [
            {
              terminalId: 'E0000005',
              serialNumber: 'SNE5000',
              model: 'PAX A920',
              firmwareVersion: 'V2.3.1',
            },
          ],
        },
        {
          ...microRecord({ merchantNo: M.pending, legalIdNumber: IDS.residentIdValid }),
          settlementAccount: {
            accountNumber: IDS.cardIcbc,
            accountName: '张丽',
            accountType: 'personal',
            status: 'pending_verification',
          },
          terminals: [
            {
              terminalId: 'E0000006',
              serialNumber: 'SNE6000',
              model: 'PAX A920',
              firmwareVersion: 'V2.3.1',
            },
          ],
        },
      ],
    },
  });
  expect(imported.json()).toMatchObject({ imported: 6, failed: [] });
});
afterAll(async () => {
  await t.close();
});

describe('ingest', () => {
  it('screens each transaction on its own and contains in the same commit', async () => {
    const r = await results([
      txn('tx-clean', 'E0000001', M.clean, { pan: PAN, rrn: '000000000001', stan: '000001' }),
      txn('tx-mismatch', 'E0000001', M.other),
      txn('tx-name', 'E0000003', M.mismatch),
      txn('tx-shared', 'E0000005', M.sharedB),
      txn('tx-pending', 'E0000006', M.pending),
      txn('tx-bad', 'E0000001', M.clean, { amountFen: -5 }),
      { id: 'tx-shape', terminalId: 'bad', merchantNo: '1', type: 'sale' },
      txn('tx-clean', 'E0000001', M.clean, { pan: PAN, rrn: '000000000001', stan: '000001' }),
    ]);
    expect(r['tx-clean']).toEqual({
      id: 'tx-clean',
      outcome: 'duplicate',
      decision: 'ok',
      alerts: [],
    });
    expect(r['tx-mismatch']).toMatchObject({
      outcome: 'accepted',
      decision: 'contain',
      alerts: ['terminal_merchant_mismatch'],
    });
    expect(r['tx-name']).toMatchObject({ decision: 'contain', alerts: ['account_name_mismatch'] });
    expect(r['tx-shared']).toMatchObject({ decision: 'contain', alerts: ['shared_account'] });
    expect(r['tx-pending']).toMatchObject({ decision: 'review', alerts: ['account_not_active'] });
    expect(r['tx-bad']).toMatchObject({ outcome: 'rejected', error: { code: 'amount_invalid' } });
    expect(r['tx-shape']?.outcome).toBe('rejected');

    const stored = await get<{ panMasked: string; decision: string }>(
      '/api/v1/transactions/tx-clean',
    );
    expect(stored).toMatchObject({ panMasked: '622202*********4562', decision: 'ok' });
  });

  it('opens one incident for the merchant the money would go to, with the terminal suspended and settlement held', async () => {
    const [incident, ...more] = await openIncidents(M.other);
    expect(more).toEqual([]);
    expect(incident).toMatchObject({
      merchantNo: M.other,
      status: 'open',
      severity: 'P1',
      relatedMerchantNos: [M.clean],
      containment: { terminalsSuspended: ['E0000001'], settlementHeld: true },
    });
    expect(incident?.alerts.map((a) => a.rule)).toEqual(['terminal_merchant_mismatch']);
    expect(incident?.timeline.map((e) => e.kind)).toEqual([
      'opened',
      'alert',
      'terminal_suspended',
      'settlement_held',
    ]);
    const terminal = await get<{ status: string; statusReason: string }>(
      '/api/v1/terminals/E0000001',
    );
    expect(terminal.status).toBe('suspended');
    expect(terminal.statusReason).toContain('终端与商户不符');
    expect(terminal.statusReason).toContain('Terminal used under another merchant');
    const merchant = await get<{ openIncidentId: string; settlementHold: { incidentId: string } }>(
      `/api/v1/merchants/${M.other}`,
    );
    expect(merchant.openIncidentId).toBe(incident?.id);
    expect(merchant.settlementHold.incidentId).toBe(incident?.id);
    // The terminal's own merchant is named, not held.
    const owner = await get<{ settlementHold: unknown }>(`/api/v1/merchants/${M.clean}`);
    expect(owner.settlementHold).toBeNull();

    // The same commit announced it (the switch stops the terminal on terminal.suspended) and
    // asked for the evidence to be frozen.
    const events = await t.tdb.db.query<{ type: string; data: Record<string, unknown> }>(
      'SELECT type, data FROM outbox_events WHERE incident_id = $1 ORDER BY type',
      [incident?.id],
    );
    expect(events.rows).toMatchObject([
      {
        type: 'incident.opened',
        data: {
          incidentId: incident?.id,
          merchantNo: M.other,
          severity: 'P1',
          rules: ['terminal_merchant_mismatch'],
          relatedMerchantNos: [M.clean],
        },
      },
      { type: 'settlement.held', data: { merchantNo: M.other, incidentId: incident?.id } },
      { type: 'terminal.suspended', data: { terminalId: 'E0000001', merchantNo: M.clean } },
    ]);
    const snapshot = await t.tdb.db.query<{ payload: Record<string, unknown> }>(
      "SELECT payload FROM jobs WHERE kind = 'evidence.snapshot' AND payload->>'incidentId' = $1",
      [incident?.id],
    );
    expect(snapshot.rows).toHaveLength(1);
    expect(snapshot.rows[0]?.payload).toMatchObject({
      alertIds: incident?.alerts.map((a) => a.id),
      transactionIds: ['tx-mismatch'],
    });
  });

  it('contains name mismatches and shared accounts, and only reviews an unverified account', async () => {
    expect((await openIncidents(M.mismatch))[0]?.containment).toEqual({
      terminalsSuspended: ['E0000003'],
      settlementHeld: true,
      holdReason: '结算户名不符',
      holdRules: ['account_name_mismatch'],
    });
    expect((await openIncidents(M.sharedB))[0]?.alerts[0]?.explanation.zh).toContain(M.sharedA);
    expect(await openIncidents(M.pending)).toEqual([]);
    const alerts = await get<{ items: { rule: string; decision: string }[] }>(
      `/api/v1/alerts?merchantNo=${M.pending}`,
    );
    expect(alerts.items).toEqual([
      expect.objectContaining({ rule: 'account_not_active', decision: 'review' }),
    ]);
  });

  it('refuses a contained terminal at authorize-check and allows a clean one', async () => {
    const check = async (terminalId: string, merchantNo: string) =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/authorize-check',
          headers: admin,
          payload: { terminalId, merchantNo },
        })
      ).json<unknown>();
    expect(await check('E0000001', M.clean)).toEqual({
      allow: false,
      reasons: ['terminal_suspended'],
      settlementHeld: false,
    });
    expect(await check('E0000002', M.other)).toEqual({
      allow: true,
      reasons: [],
      settlementHeld: true,
    });
    expect(await check('E0000002', M.clean)).toMatchObject({
      allow: false,
      reasons: ['terminal_merchant_mismatch'],
    });
  });

  it('answers a replayed batch with the first decisions and refuses a changed replay', async () => {
    const r = await results([
      txn('tx-mismatch', 'E0000001', M.other),
      txn('tx-name', 'E0000003', M.mismatch),
      txn('tx-name', 'E0000003', M.mismatch, { amountFen: 99 }),
      txn('tx-clean', 'E0000001', M.clean, {
        pan: '6222020200001234570',
        rrn: '000000000001',
        stan: '000001',
      }),
    ]);
    expect(r['tx-mismatch']).toEqual({
      id: 'tx-mismatch',
      outcome: 'duplicate',
      decision: 'contain',
      alerts: ['terminal_merchant_mismatch'],
    });
    // The refusal names the fields that differ, never the card number itself.
    expect(r['tx-clean']).toMatchObject({
      outcome: 'rejected',
      error: {
        code: 'idempotency_mismatch',
        message: 'This id was sent before with other content (pan)',
      },
    });
    expect(
      (r['tx-clean'] as unknown as { error: { errors: { path: string }[] } }).error.errors.map(
        (e) => e.path,
      ),
    ).toEqual(['pan']);
    expect(JSON.stringify(r['tx-clean'])).not.toContain('6222020200001234570');
    const count = await t.tdb.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM transactions',
    );
    expect(count.rows[0]?.n).toBe(5);
  });

  it('keeps one open incident per merchant and does not repeat an alert for the same cause', async () => {
    await results([
      txn('tx-mismatch-2', 'E0000002', M.clean),
      txn('tx-mismatch-3', 'E0000002', M.clean),
    ]);
    const incidents = await openIncidents(M.clean);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.alerts.map((a) => a.rule)).toEqual(['terminal_merchant_mismatch']);
    const again = await results([txn('tx-mismatch-4', 'E0000002', M.clean)]);
    expect(again['tx-mismatch-4']).toMatchObject({
      decision: 'contain',
      alerts: ['terminal_merchant_mismatch', 'suspended_terminal_activity'],
    });
    expect(await openIncidents(M.clean)).toHaveLength(1);
  });

  // PostgreSQL only: on PGlite every transaction waits for the one before it anyway.
  it.runIf(TEST_DATABASE_URL)(
    'takes a batch that only repeats a contained fault without waiting for the audit chain',
    async () => {
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      let taken = () => {};
      const lockTaken = new Promise<void>((resolve) => (taken = resolve));
      // A person's change (or a job) holding the chain.
      const holder = t.tdb.db.transaction(async (tx) => {
        await tx.query('SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE');
        taken();
        await released;
      });
      await lockTaken;
      try {
        // The terminal is suspended, the merchant held, the alerts raised: nothing to write.
        const repeat = await results([txn('tx-mismatch-5', 'E0000002', M.clean)]);
        expect(repeat['tx-mismatch-5']).toMatchObject({
          outcome: 'accepted',
          decision: 'contain',
          alerts: ['terminal_merchant_mismatch', 'suspended_terminal_activity'],
        });
        // A cause not seen before must be written, so it waits for the chain.
        let answered = false;
        const fresh = results([txn('tx-new-cause', 'Q0000009', M.pending)]).then((r) => {
          answered = true;
          return r;
        });
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(answered).toBe(false);
        release();
        await holder;
        expect((await fresh)['tx-new-cause']?.alerts).toContain('unknown_terminal');
      } finally {
        release();
        await holder;
      }
    },
  );

  it('follows a registry change made after start', async () => {
    const suspended = await t.app.inject({
      method: 'POST',
      url: '/api/v1/terminals/E0000004/suspend',
      headers: admin,
      payload: { reason: '现场巡检发现移机' },
    });
    expect(suspended.statusCode).toBe(200);
    const r = await results([txn('tx-after-suspend', 'E0000004', M.sharedA)]);
    expect(r['tx-after-suspend']?.alerts).toContain('suspended_terminal_activity');
  });

  it('writes every containment into an intact audit trail, with no card number stored', async () => {
    expect(await verifyAuditTrail(t.tdb.db)).toMatchObject({ ok: true });
    const audit = await t.tdb.db.query<{ action: string }>(
      "SELECT action FROM audit_entries WHERE actor = 'screening' ORDER BY seq",
    );
    expect(audit.rows.map((r) => r.action)).toEqual(
      expect.arrayContaining(['incident.opened', 'terminal.suspended', 'settlement.held']),
    );
    expect(await t.tdb.dumpText()).not.toContain(PAN);
  });

  it('lets the switch role ingest and refuses support', async () => {
    const switchToken = await t.tokenFor('switch-1', 'switch');
    expect(
      (await ingest([txn('tx-switch', 'E0000002', M.other)], bearer(switchToken))).statusCode,
    ).toBe(200);
    const supportToken = await t.tokenFor('support-1', 'support');
    const refused = await ingest([txn('tx-support', 'E0000002', M.other)], bearer(supportToken));
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'forbidden' });
  });

  it('refuses more than 1,000 transactions in one call with 413', async () => {
    const response = await ingest(
      Array.from({ length: 1001 }, (_, i) => txn(`big-${i}`, 'E0000002', M.other)),
    );
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'batch_too_large' });
  });
});
