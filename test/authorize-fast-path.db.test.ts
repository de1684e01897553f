/**
 * authorize-check over a real socket, where the fast path in front of Fastify answers the
 * switch's plain requests (src/http/authorize-fast-path.ts). Every answer over the socket must
 * be the answer Fastify gives the same request through `inject` (which never meets the fast
 * path), and the plain requests must really skip Fastify: it logs each request it handles.
 */
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApp, type TestApp } from './support/app.js';
import { enterpriseRecord, IDS } from './support/fixtures.js';

const PATH = '/api/v1/authorize-check';
const M1 = '600000000000011';
const M2 = '600000000000012';

let t: TestApp;
let url: string;
let switchToken: string;
let auditorToken: string;
const logLines: string[] = [];

beforeAll(async () => {
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => logLines.push(...chunk.toString('utf8').split('\n')));
  t = await startTestApp({ log: { level: 'info', stream } });
  const imported = await t.app.inject({
    method: 'POST',
    url: '/api/v1/import',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    payload: {
      records: [
        enterpriseRecord({ merchantNo: M1, terminalIds: ['F0000001'] }),
        enterpriseRecord({
          merchantNo: M2,
          terminalIds: ['F0000002'],
          legalIdNumber: IDS.residentIdValid2,
          accountNumber: '1001234509000099999',
        }),
      ],
    },
  });
  expect(imported.json<{ imported: number }>().imported).toBe(2);
  switchToken = await t.tokenFor('fast-switch', 'switch');
  auditorToken = await t.tokenFor('fast-auditor', 'auditor');
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${String((t.app.server.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  await t.close();
});

interface Answer {
  status: number;
  type: string | null;
  body: unknown;
}

async function overSocket(body: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(url + PATH, { method: 'POST', headers, body });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: JSON.parse(text) as unknown,
  };
}

async function throughFastify(body: string, headers: Record<string, string>): Promise<Answer> {
  const response = await t.app.inject({ method: 'POST', url: PATH, headers, payload: body });
  return {
    status: response.statusCode,
    type: (response.headers['content-type'] as string | undefined) ?? null,
    body: response.json<unknown>(),
  };
}

/** Fastify's "incoming request" lines for authorize-check so far. */
function fastifyHandled(): number {
  return logLines.filter((line) => line.includes('incoming request') && line.includes(PATH)).length;
}

const json = (token: string | null, type = 'application/json') => ({
  'content-type': type,
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});

describe('authorize-check in front of Fastify', () => {
  it('answers plain checks without Fastify once the token is known, with the route’s answers', async () => {
    // The first request resolves the token through Fastify, which puts it in the cache.
    const first = await overSocket(
      JSON.stringify({ terminalId: 'F0000001', merchantNo: M1 }),
      json(switchToken),
    );
    expect(first).toEqual({
      status: 200,
      type: 'application/json; charset=utf-8',
      body: { allow: true, reasons: [], settlementHeld: false },
    });
    const before = fastifyHandled();
    const cases: [string, unknown][] = [
      [
        JSON.stringify({ terminalId: 'F0000001', merchantNo: M1 }),
        { allow: true, reasons: [], settlementHeld: false },
      ],
      // Lower case is the same terminal, as through the route.
      [
        JSON.stringify({ terminalId: 'f0000001', merchantNo: M1 }),
        { allow: true, reasons: [], settlementHeld: false },
      ],
      [
        JSON.stringify({ terminalId: 'F0000002', merchantNo: M1 }),
        { allow: false, reasons: ['terminal_merchant_mismatch'], settlementHeld: false },
      ],
      [
        JSON.stringify({ terminalId: 'F0000009', merchantNo: '600000000000099' }),
        {
          allow: false,
          reasons: ['unknown_terminal', 'unknown_merchant'],
          settlementHeld: false,
        },
      ],
      // Fields the schema does not know are dropped, as Fastify's validator drops them.
      [
        JSON.stringify({ terminalId: 'F0000002', merchantNo: M2, amountFen: 100 }),
        { allow: true, reasons: [], settlementHeld: false },
      ],
    ];
    for (const [body, expected] of cases) {
      const fast = await overSocket(body, json(switchToken));
      expect(fast, body).toEqual({
        status: 200,
        type: 'application/json; charset=utf-8',
        body: expected,
      });
      expect(await throughFastify(body, json(switchToken)), body).toEqual(fast);
    }
    const charset = await overSocket(
      JSON.stringify({ terminalId: 'F0000001', merchantNo: M1 }),
      json(switchToken, 'application/json; charset=UTF-8'),
    );
    expect(charset.body).toEqual({ allow: true, reasons: [], settlementHeld: false });
    // None of the socket requests since the first reached Fastify (the inject calls did).
    expect(fastifyHandled() - before).toBe(cases.length);
  });

  it('hands everything else to Fastify, which answers in its own words', async () => {
    const plain = JSON.stringify({ terminalId: 'F0000001', merchantNo: M1 });
    const cases: [string, string, Record<string, string>][] = [
      ['malformed JSON', '{"terminalId": "F00', json(switchToken)],
      ['a missing field', JSON.stringify({ terminalId: 'F0000001' }), json(switchToken)],
      ['an array', JSON.stringify([plain]), json(switchToken)],
      [
        'a field too long',
        JSON.stringify({ terminalId: 'F'.repeat(17), merchantNo: M1 }),
        json(switchToken),
      ],
      [
        'a number for a string',
        JSON.stringify({ terminalId: 'F0000001', merchantNo: Number(M1) }),
        json(switchToken),
      ],
      [
        'a prototype key',
        '{"terminalId":"F0000001","merchantNo":"600000000000011","__proto__":{"x":1}}',
        json(switchToken),
      ],
      [
        'an escaped character',
        '{"terminalId":"F000000\\u0031","merchantNo":"600000000000011"}',
        json(switchToken),
      ],
      ['no token', plain, json(null)],
      ['an unknown token', plain, json('not-a-real-token-000000')],
      ['a role that may not check', plain, json(auditorToken)],
      ['another content type', plain, json(switchToken, 'text/plain')],
    ];
    for (const [what, body, headers] of cases) {
      const before = fastifyHandled();
      const answer = await overSocket(body, headers);
      expect(answer, what).toEqual(await throughFastify(body, headers));
      // One "incoming request" from the socket's request, one from the inject above.
      expect(fastifyHandled() - before, what).toBe(2);
    }
    const refused = await overSocket(plain, json(auditorToken));
    expect(refused).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    const malformed = await overSocket('{"terminalId": "F00', json(switchToken));
    expect(malformed.status).toBe(422);
    expect(malformed.body).toMatchObject({ code: 'validation_failed' });
    const escaped = await overSocket(
      '{"terminalId":"F000000\\u0031","merchantNo":"600000000000011"}',
      json(switchToken),
    );
    expect(escaped.body).toEqual({ allow: true, reasons: [], settlementHeld: false });
  });

  it('answers many checks on one connection in order', async () => {
    const bodies = Array.from({ length: 50 }, (_, i) =>
      JSON.stringify({ terminalId: i % 2 === 0 ? 'F0000001' : 'F0000002', merchantNo: M1 }),
    );
    const answers = await Promise.all(bodies.map((b) => overSocket(b, json(switchToken))));
    answers.forEach((answer, i) => {
      expect(answer.body).toEqual(
        i % 2 === 0
          ? { allow: true, reasons: [], settlementHeld: false }
          : { allow: false, reasons: ['terminal_merchant_mismatch'], settlementHeld: false },
      );
    });
  });
});
