/**
 * The correction part of the demo's first start (steps 3 and 4 of the playbook): the incident
 * whose cause was found (an account holder that does not match) is being corrected — the
 * merchant's papers are in, the licence accepted, a change to the right account asked for and
 * approved once, waiting for its second approver — and the incident of a payout the bank
 * returned has its re-settlement assigned and the call to the bank logged. Everything goes
 * through the same use cases as the API, by the demo's staff.
 */
import zlib from 'node:zlib';
import type { AppContext } from '../app/context.js';
import { documentStore, uploadDocument } from '../app/documents/upload.js';
import { reviewDocument } from '../app/documents/review.js';
import { requestAccountChange } from '../app/account-changes/request-change.js';
import { approveChange } from '../app/account-changes/actions.js';
import { DEFAULT_ACCOUNT_CHANGE_POLICY } from '../app/account-changes/policy.js';
import { transitionIncident } from '../app/incidents/actions.js';
import { logContact } from '../app/contacts/log.js';
import { createRemediation } from '../app/remediation/remediations.js';
import type { Principal } from '../core/roles.js';

export interface DemoCorrectionSummary {
  changeRequested: string | null;
  documents: number;
  remediations: number;
  contacts: number;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A picture that looks like a scanned form at a glance: paper, a coloured header band, a seal
 * and lines of "text". `seed` varies it so that each document is its own file.
 */
export function demoScan(seed: number, header: [number, number, number]): Buffer {
  const width = 480;
  const height = 320;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x += 1) {
      let pixel: [number, number, number] = [250, 248, 240];
      if (y < 48) pixel = header;
      else if (y > 70 && y < 290 && x > 40 && x < 440 && y % 24 < 6 && (x + seed * 7) % 97 > 8) {
        pixel = [120, 120, 130];
      }
      const dx = x - 390;
      const dy = y - 240;
      const r = Math.sqrt(dx * dx + dy * dy);
      if (r > 30 && r < 36) pixel = [200, 30, 30];
      if (x < 3 || y < 3 || x >= width - 3 || y >= height - 3) pixel = [90, 90, 90];
      row[1 + x * 3] = pixel[0];
      row[2 + x * 3] = pixel[1];
      row[3 + x * 3] = pixel[2];
    }
    rows.push(row);
  }
  const header13 = Buffer.alloc(13);
  header13.writeUInt32BE(width, 0);
  header13.writeUInt32BE(height, 4);
  header13[8] = 8; // bit depth
  header13[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header13),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A card number of the ICBC BIN 622202 with a Luhn check digit: the demo's right account. */
function demoCard(merchantNo: string): string {
  const body = `622202${merchantNo.slice(-9)}0${merchantNo.slice(-2)}`.slice(0, 18);
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) {
    let digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

const SCAN_COLOURS: Record<string, [number, number, number]> = {
  business_license: [176, 40, 40],
  legal_person_id_front: [60, 110, 170],
  legal_person_id_back: [60, 110, 170],
  account_opening_permit: [40, 120, 80],
  bank_card: [200, 150, 40],
  settlement_authorization: [110, 80, 150],
};

export async function seedDemoCorrection(
  ctx: AppContext,
  input: {
    evidenceDir: string | null;
    staff: { admin: Principal; risk: Principal; ops: Principal; approver: Principal };
    /** The incident whose cause was found: an account holder that does not match. */
    incidentId: string | null;
  },
): Promise<DemoCorrectionSummary> {
  const summary: DemoCorrectionSummary = {
    changeRequested: null,
    documents: 0,
    remediations: 0,
    contacts: 0,
  };
  const { risk, ops, approver } = input.staff;
  const store = documentStore(input.evidenceDir);
  if (input.incidentId && store) {
    const { rows } = await ctx.db.query<{
      merchant_no: string;
      name: string;
      type: 'enterprise' | 'individual_business' | 'micro';
      uscc: string | null;
      legal_person_name: string;
    }>(
      `SELECT m.merchant_no, m.name, m.type, m.uscc, m.legal_person_name
         FROM incidents i JOIN merchants m ON m.merchant_no = i.merchant_no AND m.valid_to IS NULL
        WHERE i.id = $1`,
      [input.incidentId],
    );
    const merchant = rows[0];
    if (merchant) {
      await transitionIncident(ctx, risk, input.incidentId, {
        to: 'correcting',
        note: '已通知商户提交营业执照及新结算账户材料。',
      });
      // The right account: the company's own for an enterprise, else the legal person's card.
      const corporate = merchant.type === 'enterprise';
      const change = await requestAccountChange(ctx, ops, DEFAULT_ACCOUNT_CHANGE_POLICY, {
        merchantNo: merchant.merchant_no,
        accountNumber: corporate ? `3100${merchant.merchant_no}` : demoCard(merchant.merchant_no),
        accountName: corporate ? merchant.name : merchant.legal_person_name,
        accountType: corporate ? 'corporate' : 'personal',
        bankCode: '102100099996',
        reason: '原结算账户户名与商户不符，经核实为录入错误，更正为商户本人（本单位）账户。',
        incidentId: input.incidentId,
        consent: { channel: 'signed_form', reference: '结算账户变更申请书（商户签字盖章）' },
      });
      summary.changeRequested = change.id;
      let seed = 0;
      for (const type of change.documentsNeeded) {
        seed += 1;
        const document = await uploadDocument(ctx, store, ops, {
          merchantNo: merchant.merchant_no,
          type,
          bytes: demoScan(seed, SCAN_COLOURS[type] ?? [120, 120, 120]),
          fileName: `${type}.png`,
        });
        summary.documents += 1;
        await reviewDocument(ctx, approver, document.id, {
          result: 'accepted',
          note: '与原件核对一致。',
          fields:
            type === 'business_license' && merchant.uscc
              ? {
                  licenseNumber: merchant.uscc,
                  holderName: merchant.name,
                  validUntil: '2046-12-31',
                }
              : { holderName: corporate ? merchant.name : merchant.legal_person_name },
        });
      }
      // High-risk (an open incident): one approval given, the second approver still to come.
      await approveChange(ctx, approver, change.id, {
        note: '材料齐全，户名与营业执照一致。待第二审批人复核。',
      });
    }
  }

  // A payout the bank returned: the re-settlement is someone's job with a date, and the call
  // to the bank is in the contact log.
  const returned = await ctx.db.query<{ incident_id: string; line_id: string }>(
    `SELECT i.id AS incident_id, l.id AS line_id
       FROM incidents i JOIN settlement_lines l ON l.merchant_no = i.merchant_no
      WHERE l.status = 'returned' AND NOT i.drill AND i.status NOT IN ('resolved', 'closed')
      ORDER BY i.opened_at, l.created_at LIMIT 1`,
  );
  const first = returned.rows[0];
  if (first) {
    const due = new Date(ctx.now().getTime() + 3 * 86_400_000).toISOString().slice(0, 10);
    await createRemediation(ctx, ops, first.incident_id, {
      lineId: first.line_id,
      action: 'resettle',
      owner: 'ops.wang',
      dueDate: due,
      note: '待商户提供正确账户并完成验证后随下一批次重新结算。',
    });
    summary.remediations += 1;
    await logContact(ctx, ops, first.incident_id, {
      party: 'bank',
      partyName: '开户行对公业务部',
      channel: 'phone',
      summary: '致电开户行核实退票原因：收款账户已销户。',
      outcome: '银行确认账户已于上月销户，需商户提供新账户。',
    });
    await logContact(ctx, ops, first.incident_id, {
      party: 'merchant',
      channel: 'phone',
      summary: '通知商户结算款被退回，请其提交新结算账户及相关材料。',
      outcome: '商户负责人表示两日内提交。',
    });
    summary.contacts += 2;
  }
  return summary;
}
