import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/app.js';
import { enterpriseRecord, IDS, microRecord } from './support/fixtures.js';
import type { Role } from '../src/core/roles.js';

let t: TestApp;
const tokens: Partial<Record<Role | 'otherMerchant', string>> = {};
const admin = bearer(ADMIN_TOKEN);

function token(role: Role | 'otherMerchant'): { authorization: string } {
  const value = tokens[role];
  if (!value) throw new Error(`no token for ${role}`);
  return bearer(value);
}

beforeAll(async () => {
  t = await startTestApp({ loginAttemptsMax: 3 });
  const imported = await t.app.inject({
    method: 'POST',
    url: '/api/v1/import',
    headers: admin,
    payload: {
      records: [
        enterpriseRecord({ merchantNo: '300000000000001', terminalIds: ['B0000001'] }),
        microRecord({ merchantNo: '300000000000002', legalIdNumber: IDS.residentIdValid2 }),
      ],
    },
  });
  expect(imported.json()).toMatchObject({ imported: 2, failed: [] });
  for (const role of ['risk', 'ops', 'approver', 'support', 'auditor'] as const) {
    tokens[role] = await t.tokenFor(`${role}-user`, role);
  }
  tokens.merchant = await t.tokenFor(
    'shop-a',
    'merchant',
    ['300000000000002'],
    'correct horse battery',
  );
  tokens.otherMerchant = await t.tokenFor('shop-b', 'merchant', ['300000000000001']);
});
afterAll(async () => {
  await t.close();
});

describe('service endpoints', () => {
  it('answers /healthz and serves an OpenAPI document of the routes', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.json()).toMatchObject({ status: 'ok' });
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      openapi: string;
      paths: Record<string, unknown>;
    }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/merchants',
        '/api/v1/merchants/{merchantNo}',
        '/api/v1/merchants/{merchantNo}/settlement-accounts',
        '/api/v1/terminals/{terminalId}/suspend',
        '/api/v1/import',
        '/api/v1/users',
        '/api/v1/audit/verify',
      ]),
    );
  });

  it('answers an unknown API path with a not_found problem', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/nothing', headers: admin });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'not_found', status: 404 });
  });
});

describe('authentication', () => {
  it('refuses a missing or unknown token with 401 unauthenticated', async () => {
    for (const headers of [{}, bearer('sg_not-a-real-token-at-all')]) {
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/merchants', headers });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'unauthenticated' });
    }
  });

  it('logs in with a password into an HttpOnly SameSite=Strict cookie, and out again', async () => {
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'shop-a', password: 'wrong password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'invalid_credentials' });

    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'shop-a', password: 'correct horse battery' },
    });
    expect(ok.json()).toEqual({
      username: 'shop-a',
      role: 'merchant',
      merchantNos: ['300000000000002'],
    });
    const setCookie = String(ok.headers['set-cookie']);
    expect(setCookie).toMatch(/sg_session=sg_/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    const cookie = setCookie.split(';')[0] ?? '';

    const me = await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
    expect(me.json()).toMatchObject({ username: 'shop-a' });
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/merchants',
      headers: { cookie },
    });
    expect(list.json<{ items: { merchantNo: string }[] }>().items.map((m) => m.merchantNo)).toEqual(
      ['300000000000002'],
    );
    await t.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie } });
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie },
    });
    expect(after.statusCode).toBe(401);
  });

  it('changes one’s own password, ending the old sessions', async () => {
    await t.tokenFor('pw-user', 'support', [], 'first password 1');
    const loginWith = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'pw-user', password },
      });
    const cookie =
      String((await loginWith('first password 1')).headers['set-cookie']).split(';')[0] ?? '';
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session/password',
      headers: { cookie },
      payload: { currentPassword: 'nope', newPassword: 'second password 2' },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json()).toMatchObject({ code: 'current_password_wrong' });
    const changed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session/password',
      headers: { cookie },
      payload: { currentPassword: 'first password 1', newPassword: 'second password 2' },
    });
    expect(changed.statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } }))
        .statusCode,
    ).toBe(401);
    expect((await loginWith('first password 1')).statusCode).toBe(401);
    expect((await loginWith('second password 2')).json()).toMatchObject({ username: 'pw-user' });
  });

  it('rate-limits login attempts per address and username', async () => {
    const attempt = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'ops-user', password: 'guess-guess' },
      });
    const codes: string[] = [];
    for (let i = 0; i < 4; i += 1) codes.push((await attempt()).json<{ code: string }>().code);
    expect(codes).toEqual([
      'invalid_credentials',
      'invalid_credentials',
      'invalid_credentials',
      'rate_limited',
    ]);
    expect((await attempt()).statusCode).toBe(429);
  });
});

describe('roles', () => {
  const merchantBody = {
    merchantNo: '300000000000009',
    name: '上海测试贸易有限公司',
    type: 'enterprise',
    uscc: IDS.usccValid3,
    legalPerson: { name: '刘洋', idNumber: IDS.residentIdValid4 },
    mcc: '5311',
  };

  it.each([
    ['risk', 403],
    ['approver', 403],
    ['support', 403],
    ['auditor', 403],
    ['merchant', 403],
  ] as const)('refuses %s to create a merchant', async (role, status) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchants',
      headers: token(role),
      payload: merchantBody,
    });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ code: 'forbidden' });
  });

  it.each(['ops', 'approver', 'support', 'auditor', 'merchant'] as const)(
    'refuses %s to suspend a terminal',
    async (role) => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/terminals/B0000001/suspend',
        headers: token(role),
        payload: { reason: 'test' },
      });
      // The merchant user does not own this terminal's merchant: role check comes first.
      expect(response.json()).toMatchObject({ code: 'forbidden' });
    },
  );

  it.each(['risk', 'ops', 'approver', 'support', 'auditor', 'merchant'] as const)(
    'refuses %s to create users, import and verify the audit trail as it may not',
    async (role) => {
      const users = await t.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: token(role),
        payload: { username: `x-${role}`, role: 'admin' },
      });
      expect(users.json()).toMatchObject({ code: 'forbidden' });
      const imported = await t.app.inject({
        method: 'POST',
        url: '/api/v1/import',
        headers: token(role),
        payload: { records: [] },
      });
      expect(imported.statusCode).toBe(role === 'ops' ? 200 : 403);
      const audit = await t.app.inject({
        method: 'GET',
        url: '/api/v1/audit/verify',
        headers: token(role),
      });
      expect(audit.statusCode).toBe(role === 'auditor' ? 200 : 403);
    },
  );

  it('lets ops create a merchant and risk suspend and resume a terminal', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchants',
      headers: token('ops'),
      payload: merchantBody,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      merchantNo: '300000000000009',
      settlementAccount: null,
    });
    const duplicate = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchants',
      headers: token('ops'),
      payload: merchantBody,
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ code: 'conflict' });

    const suspended = await t.app.inject({
      method: 'POST',
      url: '/api/v1/terminals/B0000001/suspend',
      headers: token('risk'),
      payload: { reason: '疑似移机' },
    });
    expect(suspended.json()).toMatchObject({ terminalId: 'B0000001', status: 'suspended' });
    const resumed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/terminals/B0000001/resume',
      headers: token('risk'),
      payload: { reason: '现场核实无误' },
    });
    expect(resumed.json()).toMatchObject({ status: 'active', statusReason: '现场核实无误' });
  });
});

describe('merchant scope', () => {
  it('hides other merchants, their accounts and terminals as 404', async () => {
    for (const url of [
      '/api/v1/merchants/300000000000001',
      '/api/v1/merchants/300000000000001/settlement-accounts',
      '/api/v1/terminals/B0000001',
    ]) {
      const response = await t.app.inject({ method: 'GET', url, headers: token('merchant') });
      expect(response.statusCode, url).toBe(404);
      expect(response.json()).toMatchObject({ code: 'not_found' });
    }
    const own = await t.app.inject({
      method: 'GET',
      url: '/api/v1/merchants/300000000000002',
      headers: token('merchant'),
    });
    expect(own.json()).toMatchObject({ merchantNo: '300000000000002' });
    const terminals = await t.app.inject({
      method: 'GET',
      url: '/api/v1/terminals',
      headers: token('merchant'),
    });
    expect(terminals.json()).toEqual({ items: [] });
    const others = await t.app.inject({
      method: 'GET',
      url: '/api/v1/terminals',
      headers: token('otherMerchant'),
    });
    expect(
      others.json<{ items: { terminalId: string }[] }>().items.map((i) => i.terminalId),
    ).toEqual(['B0000001']);
  });
});

describe('identifier problems', () => {
  const base = {
    merchantNo: '300000000000010',
    name: '杭州示例餐饮有限公司',
    type: 'enterprise',
    uscc: IDS.usccValid2,
    legalPerson: { name: '陈刚', idNumber: IDS.residentIdValid },
    mcc: '5812',
  };

  it.each([
    ['merchantNo', { merchantNo: '30000000000001X' }, 'merchant_no_format', 'merchantNo'],
    ['uscc', { uscc: IDS.usccBadCheck }, 'uscc_checksum', 'uscc'],
    ['uscc', { uscc: '91110000600037341' }, 'uscc_format', 'uscc'],
    [
      'idNumber',
      { legalPerson: { name: '陈刚', idNumber: IDS.residentIdBadCheck } },
      'resident_id_checksum',
      'legalPerson.idNumber',
    ],
    [
      'birth date',
      { legalPerson: { name: '陈刚', idNumber: IDS.residentIdBadDate } },
      'resident_id_birth_date',
      'legalPerson.idNumber',
    ],
    ['mcc', { mcc: '58' }, 'mcc_format', 'mcc'],
    ['phone', { contactPhone: '12345' }, 'mobile_format', 'contactPhone'],
    ['no uscc', { uscc: undefined }, 'uscc_required', 'uscc'],
  ])('answers a bad %s with 422 %s at its path', async (_label, change, code, path) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchants',
      headers: admin,
      payload: { ...base, ...change },
    });
    expect(response.statusCode).toBe(422);
    const body = response.json<{ code: string; errors: { path: string; code: string }[] }>();
    expect(body.code).toBe(code);
    expect(body.errors).toContainEqual(expect.objectContaining({ path, code }));
  });

  it('answers a bad terminal id with terminal_id_format', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/terminals',
      headers: admin,
      payload: {
        terminalId: 'b-1',
        serialNumber: 'SN1234567',
        model: 'PAX A920',
        firmwareVersion: 'V1',
        merchantNo: '300000000000001',
      },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      code: 'terminal_id_format',
      errors: [{ path: 'terminalId', code: 'terminal_id_format' }],
    });
  });

  it('answers a schema violation with validation_failed and the field path', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchants',
      headers: admin,
      payload: { ...base, type: 'corporation' },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain(
      'type',
    );
  });

  it('refuses an import of more than 1,000 records with 413 batch_too_large', async () => {
    const records = Array.from({ length: 1001 }, () => ({}));
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/import',
      headers: admin,
      payload: { records },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'batch_too_large' });
  });
});

describe('account check', () => {
  const check = (body: Record<string, unknown>, headers = admin) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/settlement-accounts/check',
      headers,
      payload: {
        merchantNo: '300000000000002',
        accountName: '张丽',
        accountType: 'personal',
        ...body,
      },
    });

  it.each([
    [{ accountNumber: '62220202' }, 'card_number_format', 'accountNumber'],
    [{ accountNumber: '6222-0202-ABCD' }, 'card_number_format', 'accountNumber'],
    [{ accountNumber: IDS.cardIcbc, bankCode: '10210009999' }, 'cnaps_format', 'bankCode'],
    [
      {
        accountNumber: 'ABC123',
        accountType: 'corporate',
        merchantNo: '300000000000001',
        accountName: '北京示例餐饮管理有限公司',
      },
      'corporate_account_format',
      'accountNumber',
    ],
    [
      { accountNumber: IDS.corporateAccount, accountType: 'corporate' },
      'account_type_not_allowed',
      'accountType',
    ],
  ])('answers %j with 422 %s at %s', async (body, code, path) => {
    const response = await check(body);
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      code,
      errors: [expect.objectContaining({ path, code })],
    });
  });

  it('shows the bank behind the card, the name check and a Luhn warning, masked', async () => {
    const good = await check({ accountNumber: IDS.cardIcbc });
    const body = good.json<{ bank: { name: string } }>();
    expect(body.bank.name).toContain('工商银行');
    expect(body).toMatchObject({
      accountNumberMasked: '622202*********4562',
      bank: { source: 'bin' },
      nameCheck: { result: 'match', comparedWith: 'legal_person' },
      warnings: [],
      alsoUsedBy: 0,
    });
    const luhn = await check({ accountNumber: '6222020200001234563', accountName: '李四' });
    expect(luhn.json()).toMatchObject({
      nameCheck: { result: 'no_match' },
      warnings: [expect.objectContaining({ code: 'card_luhn_failed', path: 'accountNumber' })],
    });
    expect(luhn.body).not.toContain('6222020200001234563');
  });

  it('flags a card declared at another bank than its BIN says', async () => {
    const response = await check({ accountNumber: IDS.cardIcbc, bankCode: '105100000017' });
    expect(response.json<{ warnings: { code: string }[] }>().warnings.map((w) => w.code)).toContain(
      'bin_bank_mismatch',
    );
  });

  it('keeps merchant users to their own merchants and refuses the auditor', async () => {
    expect(
      (
        await check(
          { accountNumber: IDS.cardIcbc, merchantNo: '300000000000001' },
          token('merchant'),
        )
      ).statusCode,
    ).toBe(403);
    expect((await check({ accountNumber: IDS.cardIcbc }, token('auditor'))).statusCode).toBe(403);
  });
});

describe('no full number leaves the process', () => {
  it('shows only masked numbers in every registry response', async () => {
    const bodies: string[] = [];
    for (const url of [
      '/api/v1/merchants',
      '/api/v1/merchants/300000000000001',
      '/api/v1/merchants/300000000000002',
      '/api/v1/merchants/300000000000002/settlement-accounts',
      '/api/v1/terminals',
      '/api/v1/alerts',
    ]) {
      bodies.push((await t.app.inject({ method: 'GET', url, headers: admin })).body);
    }
    const all = bodies.join('\n');
    for (const secret of [
      IDS.cardIcbc,
      IDS.corporateAccount,
      IDS.residentIdValid,
      IDS.residentIdValid2,
      '13812345678',
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(all).toContain('622202*********4562');
    const merchant = JSON.parse(bodies[2] ?? '{}') as {
      settlementAccount: { nameCheck: { result: string } };
    };
    expect(merchant.settlementAccount.nameCheck.result).toBe('match');
  });
});
