/**
 * Drills: started from each scenario on a real merchant, marked 演练/DRILL everywhere, kept out
 * of the real queue, the real alert list, the dashboard and merchant users' view, walked through
 * the whole lifecycle to closed; and the terminals, holds, settlement lines, releases and ledger
 * are exactly as they were, every event of a drill is marked `drill`, and a drill keeps no real
 * alert or incident from being raised.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/app.js';
import { enterpriseRecord, IDS, microRecord } from './support/fixtures.js';

let t: TestApp;

const M = {
  real: '720000000000001',
  drilled: '720000000000002',
  other: '720000000000003',
};
const AT = '2026-11-25T02:00:00Z';

const tokens: Record<string, string> = { admin: ADMIN_TOKEN };

interface Incident {
  id: string;
  status: string;
  severity: string;
  merchantNo: string;
  drill: boolean;
  scenario: string | null;
  title: { zh: string; en: string };
  alerts: { id: string; rule: string; drill: boolean; explanation: { zh: string; en: string } }[];
  timeline: { kind: string; text: { zh: string; en: string } }[];
  containment: { terminalsSuspended: string[]; settlementHeld: boolean };
  heldMoney: { holdActive: boolean; amountFen: number; lineCount: number };
}

async function call<T = Incident>(
  method: 'GET' | 'POST',
  url: string,
  user: string,
  payload?: unknown,
): Promise<{ status: number; body: T }> {
  const headers = bearer(tokens[user] ?? '');
  const response = await t.app.inject(
    payload === undefined
      ? { method, url, headers }
      : { method, url, headers, payload: payload as Record<string, unknown> },
  );
  return { status: response.statusCode, body: response.json<T>() };
}

let seq = 0;
async function ingest(merchantNo: string, terminalId: string) {
  seq += 1;
  const { body } = await call<{ results: { outcome: string; decision: string }[] }>(
    'POST',
    '/api/v1/transactions',
    'admin',
    {
      transactions: [
        {
          id: `DR${String(seq).padStart(6, '0')}`,
          terminalId,
          merchantNo,
          type: 'purchase',
          amountFen: 8_800 + seq,
          occurredAt: AT,
        },
      ],
    },
  );
  return body.results[0];
}

/** Every row of the tables a drill must not touch, as text, in a stable order. */
async function untouchable(): Promise<Record<string, string[]>> {
  const tables = [
    'merchants',
    'terminals',
    'settlement_accounts',
    'settlement_holds',
    'settlement_lines',
    'settlement_releases',
    'ledger_journals',
    'ledger_postings',
    'transactions',
    'incident_terminals',
  ];
  const out: Record<string, string[]> = {};
  for (const table of tables) {
    const { rows } = await t.tdb.db.query<{ row: string }>(
      `SELECT x::text AS row FROM ${table} x ORDER BY 1`,
    );
    out[table] = rows.map((r) => r.row);
  }
  return out;
}

let before: Record<string, string[]>;
let realIncidentId: string;
const drills: Incident[] = [];

beforeAll(async () => {
  t = await startTestApp();
  const imported = await call<{ failed: unknown[] }>('POST', '/api/v1/import', 'admin', {
    records: [
      enterpriseRecord({
        merchantNo: M.real,
        terminalIds: ['D0000001'],
        accountNumber: '1001234509000020001',
      }),
      enterpriseRecord({
        merchantNo: M.drilled,
        terminalIds: ['D0000002', 'D0000022'],
        accountNumber: '1001234509000020002',
      }),
      {
        ...microRecord({ merchantNo: M.other, accountNumber: IDS.cardCcb }),
        terminals: [
          {
            terminalId: 'D0000003',
            serialNumber: 'SND0000003',
            model: 'PAX A920',
            firmwareVersion: 'V2.3.1',
          },
        ],
      },
    ],
  });
  expect(imported.body.failed).toEqual([]);
  tokens.rita = await t.tokenFor('rita', 'risk');
  tokens.oscar = await t.tokenFor('oscar', 'ops');
  tokens.april = await t.tokenFor('april', 'approver');
  tokens.merch = await t.tokenFor('merch-d', 'merchant', [M.drilled]);
  // Real activity before the drills: clean sales for the drilled merchant, a real incident
  // (terminal used under another merchant) with its hold and suspension, and a settlement run
  // with its ledger.
  expect(await ingest(M.drilled, 'D0000002')).toMatchObject({ decision: 'ok' });
  expect(await ingest(M.real, 'D0000003')).toMatchObject({ decision: 'contain' });
  const run = await call('POST', '/api/v1/settlement-runs', 'admin', {
    businessDate: '2026-11-25',
  });
  expect(run.status).toBe(201);
  const real = await call<{ items: Incident[] }>('GET', '/api/v1/incidents', 'rita');
  realIncidentId = real.body.items[0]?.id ?? '';
  before = await untouchable();
  expect(before.settlement_holds).toHaveLength(1);
  expect(before.ledger_postings?.length).toBeGreaterThan(0);
});

afterAll(async () => {
  await t.close();
});

describe('drills', () => {
  it('are started by admin and risk only, from a known scenario, on a known merchant', async () => {
    for (const user of ['oscar', 'april', 'merch']) {
      const refused = await call<{ code: string }>('POST', '/api/v1/drills', user, {
        scenario: 'shared_account',
      });
      expect({ user, code: refused.body.code }).toEqual({ user, code: 'forbidden' });
    }
    const unknown = await call<{ code: string }>('POST', '/api/v1/drills', 'rita', {
      scenario: 'alien_invasion',
    });
    expect(unknown).toMatchObject({ status: 422, body: { code: 'validation_failed' } });
    const noMerchant = await call<{ code: string }>('POST', '/api/v1/drills', 'rita', {
      scenario: 'shared_account',
      merchantNo: '799999999999999',
    });
    expect(noMerchant).toMatchObject({ status: 422, body: { code: 'merchant_unknown' } });
  });

  it.each([
    ['terminal_merchant_mismatch', 'P1', M.drilled],
    ['shared_account', 'P1', M.drilled],
    ['settlement_returned', 'P2', M.drilled],
    ['account_name_mismatch', 'P2', undefined],
  ])('builds a believable, clearly marked %s drill', async (scenario, severity, merchantNo) => {
    const started = await call('POST', '/api/v1/drills', 'rita', {
      scenario,
      ...(merchantNo ? { merchantNo } : {}),
    });
    expect(started.status).toBe(201);
    const drill = started.body;
    drills.push(drill);
    expect(drill).toMatchObject({
      status: 'open',
      severity,
      drill: true,
      scenario,
      containment: { terminalsSuspended: [], settlementHeld: false },
    });
    // Without a merchant named, the first active merchant with a terminal is drilled.
    expect(drill.merchantNo).toBe(merchantNo ?? M.real);
    expect(drill.title.zh.startsWith('【演练】')).toBe(true);
    expect(drill.title.en.startsWith('[DRILL] ')).toBe(true);
    expect(drill.alerts.length).toBeGreaterThan(0);
    for (const alert of drill.alerts) {
      expect(alert.drill).toBe(true);
      expect(alert.rule).toBe(scenario);
      expect(alert.explanation.zh).toContain('【演练】');
      expect(alert.explanation.en).toContain('[DRILL]');
    }
    expect(drill.timeline.map((e) => e.kind)).toEqual(['opened', 'alert', 'drill_containment']);
    for (const entry of drill.timeline) {
      expect(entry.text.zh).toContain('【演练】');
      expect(entry.text.en).toContain('[DRILL]');
    }
    // The account number in the text is the masked one.
    expect(JSON.stringify(drill)).not.toContain('1001234509000020002');
  });

  it('names the other merchant and its terminal in a terminal mismatch drill', () => {
    const mismatch = drills.find((d) => d.scenario === 'terminal_merchant_mismatch');
    expect(mismatch?.alerts[0]?.explanation.zh).toContain(`终端 D0000001 登记在商户 ${M.real}`);
  });

  it('stays out of the real queue, the real alert list and merchant users view', async () => {
    const queue = await call<{ items: Incident[] }>('GET', '/api/v1/incidents', 'rita');
    expect(queue.body.items.map((i) => i.id)).toEqual([realIncidentId]);
    const onlyDrills = await call<{ items: Incident[] }>(
      'GET',
      '/api/v1/incidents?drill=true',
      'rita',
    );
    expect(onlyDrills.body.items.map((i) => i.id).sort()).toEqual(drills.map((d) => d.id).sort());
    const all = await call<{ items: Incident[] }>('GET', '/api/v1/incidents?drill=all', 'rita');
    expect(all.body.items).toHaveLength(drills.length + 1);

    const alerts = await call<{ items: { drill: boolean }[] }>('GET', '/api/v1/alerts', 'rita');
    expect(alerts.body.items.length).toBeGreaterThan(0);
    expect(alerts.body.items.every((a) => !a.drill)).toBe(true);
    const drillAlerts = await call<{ items: { drill: boolean }[] }>(
      'GET',
      '/api/v1/alerts?drill=true',
      'rita',
    );
    expect(drillAlerts.body.items).toHaveLength(drills.length);
    expect(drillAlerts.body.items.every((a) => a.drill)).toBe(true);

    const merchantList = await call<{ items: Incident[] }>(
      'GET',
      '/api/v1/incidents?drill=true',
      'merch',
    );
    expect(merchantList.body.items).toEqual([]);
    for (const drill of ['true', 'all']) {
      const merchantAlerts = await call<{ items: unknown[] }>(
        'GET',
        `/api/v1/alerts?drill=${drill}`,
        'merch',
      );
      expect(merchantAlerts.body.items).toEqual([]);
    }
    const drilledOne = drills[0];
    if (!drilledOne) throw new Error('no drill');
    const hidden = await call<{ code: string }>(
      'GET',
      `/api/v1/incidents/${drilledOne.id}`,
      'merch',
    );
    expect(hidden).toMatchObject({ status: 404, body: { code: 'not_found' } });

    const stats = await call<{
      open: { total: number };
      alertsByRule: { rules: { rule: string; total: number }[] };
    }>('GET', '/api/v1/incidents/stats', 'rita');
    expect(stats.body.open.total).toBe(1);
    expect(stats.body.alertsByRule.rules.map((r) => r.rule).sort()).toEqual([
      'terminal_merchant_mismatch',
    ]);
  });

  it('walks through the whole lifecycle to closed', async () => {
    const drill = drills.find((d) => d.scenario === 'shared_account');
    if (!drill) throw new Error('no drill');
    const move = (user: string, to: string, extra: Record<string, unknown> = {}) =>
      call('POST', `/api/v1/incidents/${drill.id}/transition`, user, { to, ...extra });
    expect((await call('POST', `/api/v1/incidents/${drill.id}/acknowledge`, 'oscar')).status).toBe(
      200,
    );
    for (const to of ['contained', 'investigating', 'correcting', 'verifying', 'remediating']) {
      expect({ to, status: (await move('oscar', to)).body.status }).toEqual({ to, status: to });
    }
    const rootCause = await call('POST', `/api/v1/incidents/${drill.id}/root-cause`, 'rita', {
      category: 'fraud',
      detail: '演练：不法分子以他人名义开户共用结算账户',
    });
    expect(rootCause.status).toBe(200);
    // The drilled merchant has no money held: resolving needs no plan.
    expect(rootCause.body.heldMoney).toEqual({ holdActive: false, amountFen: 0, lineCount: 0 });
    expect((await move('april', 'resolved')).body.status).toBe('resolved');
    await call('POST', `/api/v1/incidents/${drill.id}/post-mortem`, 'rita', {
      summary: '演练复盘',
      lessons: ['共用账户须在开户时拦截'],
    });
    const closed = await move('april', 'closed');
    expect(closed.body).toMatchObject({ status: 'closed', drill: true });
  });

  it('emits every one of its events marked as a drill', async () => {
    const { rows } = await t.tdb.db.query<{ type: string; drill: boolean; incident_id: string }>(
      `SELECT type, drill, incident_id FROM outbox_events WHERE incident_id = ANY($1::uuid[])`,
      [drills.map((d) => d.id)],
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.drill)).toBe(true);
    const walked = drills.find((d) => d.scenario === 'shared_account');
    expect(
      rows
        .filter((r) => r.incident_id === walked?.id)
        .map((r) => r.type)
        .sort(),
    ).toEqual(['incident.acknowledged', 'incident.opened', 'incident.resolved']);
    expect(rows.filter((r) => r.type === 'incident.opened')).toHaveLength(drills.length);
    // Nothing but incident events: no terminal, hold or release was announced for a drill.
    const { rows: others } = await t.tdb.db.query<{ type: string }>(
      `SELECT type FROM outbox_events WHERE drill AND type NOT LIKE 'incident.%'`,
    );
    expect(others).toEqual([]);
  });

  it('left terminals, holds, settlement lines, releases and the ledger exactly as they were', async () => {
    expect(await untouchable()).toEqual(before);
    const ledger = await call<{ balanced: boolean }>('GET', '/api/v1/ledger/verify', 'admin');
    expect(ledger.body.balanced).toBe(true);
    const audit = await call<{ ok: boolean }>('GET', '/api/v1/audit/verify', 'admin');
    expect(audit.body.ok).toBe(true);
  });

  it('keeps no real alert or incident from being raised for the drilled merchant', async () => {
    // A drill of a terminal mismatch on D0000001 is open for the drilled merchant; the real
    // thing now happens with the same terminal and merchant.
    const outcome = await ingest(M.drilled, 'D0000001');
    expect(outcome).toMatchObject({ outcome: 'accepted', decision: 'contain' });
    const queue = await call<{ items: Incident[] }>(
      'GET',
      `/api/v1/incidents?merchantNo=${M.drilled}`,
      'rita',
    );
    expect(queue.body.items).toHaveLength(1);
    const real = await call('GET', `/api/v1/incidents/${queue.body.items[0]?.id ?? ''}`, 'rita');
    expect(real.body.drill).toBe(false);
    expect(real.body.alerts.map((a) => [a.rule, a.drill])).toContainEqual([
      'terminal_merchant_mismatch',
      false,
    ]);
    // The merchant's user sees its real incident, and still no drill when it asks for drills.
    const own = await call<{ items: Incident[] }>('GET', '/api/v1/incidents?drill=all', 'merch');
    expect(own.body.items.map((i) => [i.id, i.drill])).toEqual([[real.body.id, false]]);
    const drillsOnly = await call<{ items: Incident[] }>(
      'GET',
      '/api/v1/incidents?drill=true',
      'merch',
    );
    expect(drillsOnly.body.items).toEqual([]);
  });
});
