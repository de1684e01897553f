/**
 * Helpers for the evidence and case-file tests: a merchant whose terminal is used under
 * another merchant (so containment opens an incident and asks for a snapshot), multipart
 * bodies for `app.inject`, and a job runner that works the evidence jobs only.
 */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import { JobRunner } from '../../src/jobs/runner.js';
import { registerEvidenceJobs } from '../../src/app/evidence/jobs.js';
import { enterpriseRecord, IDS } from './fixtures.js';

export const PAN = IDS.cardIcbc;
export const OTHER_ACCOUNT = '1001234509000099999';

export interface Part {
  name: string;
  data: Buffer | string;
  filename?: string;
  contentType?: string;
}

/** A multipart/form-data body as a browser sends it. */
export function multipart(parts: readonly Part[]): {
  payload: Buffer;
  headers: Record<string, string>;
} {
  const boundary = `----settleguard${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      part.filename === undefined
        ? `form-data; name="${part.name}"`
        : `form-data; name="${part.name}"; filename="${part.filename}"`;
    const type =
      part.filename === undefined
        ? ''
        : `Content-Type: ${part.contentType ?? 'application/octet-stream'}\r\n`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`));
    chunks.push(Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Small but real files of every accepted kind, recognised by their first bytes. */
export const SAMPLES = {
  png: Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
  ]),
  jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]),
  gif: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'),
  webp: Buffer.concat([
    Buffer.from('RIFF'),
    Buffer.from([0x1a, 0, 0, 0]),
    Buffer.from('WEBPVP8L'),
    Buffer.alloc(8),
  ]),
  pdf: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n'),
  text: Buffer.from('2026-11-26 16:10 致电开户行客户经理，确认账户已于当日冻结。\r\n', 'utf8'),
  elf: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]),
};

export const MERCHANTS = { a: '880000000000001', b: '880000000000002' };

/**
 * Merchant A (terminal G0000001) and merchant B (terminal G0000002, another account); a clean
 * sale of A on 25 November; then B's terminal used under A's merchant number on the 26th: an
 * incident for A, with its terminal suspended and settlement held.
 */
export async function seedIncident(
  app: FastifyInstance,
  headers: Record<string, string>,
): Promise<{ incidentId: string }> {
  const imported = await app.inject({
    method: 'POST',
    url: '/api/v1/import',
    headers,
    payload: {
      records: [
        enterpriseRecord({ merchantNo: MERCHANTS.a, terminalIds: ['G0000001'] }),
        enterpriseRecord({
          merchantNo: MERCHANTS.b,
          name: '上海示例贸易有限公司',
          terminalIds: ['G0000002'],
          legalIdNumber: IDS.residentIdValid2,
          accountNumber: OTHER_ACCOUNT,
        }),
      ],
    },
  });
  expect(imported.json()).toMatchObject({ imported: 2, failed: [] });
  const ingested = await app.inject({
    method: 'POST',
    url: '/api/v1/transactions',
    headers,
    payload: {
      transactions: [
        {
          id: 'ev-clean-1',
          terminalId: 'G0000001',
          merchantNo: MERCHANTS.a,
          type: 'purchase',
          amountFen: 12_800,
          occurredAt: '2026-11-25T03:00:00Z',
          pan: PAN,
        },
        {
          id: 'ev-mismatch-1',
          terminalId: 'G0000002',
          merchantNo: MERCHANTS.a,
          type: 'purchase',
          amountFen: 56_789,
          occurredAt: '2026-11-26T07:30:00Z',
          pan: PAN,
          rrn: '000000123456',
        },
      ],
    },
  });
  expect(ingested.statusCode).toBe(200);
  const list = await app.inject({
    method: 'GET',
    url: `/api/v1/incidents?merchantNo=${MERCHANTS.a}`,
    headers,
  });
  const incidentId = list.json<{ items: { id: string }[] }>().items[0]?.id;
  if (!incidentId) throw new Error('no incident opened');
  return { incidentId };
}

/** A runner that works only the evidence jobs, one after another, when asked. */
export function evidenceRunner(ctx: AppContext, evidenceDir: string): JobRunner {
  const runner = new JobRunner(ctx, { log: { error: () => undefined } });
  registerEvidenceJobs(runner, ctx, { evidenceDir });
  return runner;
}
