/**
 * The evidence bundle of an incident: a folder anyone can check offline with standard tools.
 *
 *   files/<sha256><ext>   each distinct file, named by its hash
 *   manifest.json         the incident's facts and every item (hash, size, type, original
 *                         name, note, when and by whom, its audit entry)
 *   README.txt            how to check it (Chinese and English)
 *   SHA256SUMS            `sha256sum -c SHA256SUMS` checks every file above
 *
 * Only intact files are written: one that is missing or altered in the store is left out and
 * named in the manifest's `problems`, so a bundle never carries a file its hash does not vouch
 * for.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../context.js';
import { DomainError } from '../../core/errors.js';
import { extensionOf } from '../../core/evidence.js';
import { verifyAuditTrail } from '../audit.js';
import { EvidenceFileAltered, sha256Of, type EvidenceStore } from './store.js';
import { findIncidentForEvidence, evidenceRows } from './queries.js';

export const BUNDLE_FORMAT = 'settleguard.evidence.bundle/1';

export interface BundleSummary {
  dir: string;
  items: number;
  files: number;
  problems: { evidenceId: string; sha256: string; code: 'file_missing' | 'file_altered' }[];
}

const README = `证据包 / Evidence bundle

本目录由 SettleGuard（收款账户卫士）导出。manifest.json 列出事件信息与每一项证据的
SHA-256、大小、类型、原始文件名、添加时间与添加人；files/ 中的文件以其 SHA-256 命名。
核验方法（Linux、macOS 的 shasum -a 256 -c 亦可）：

    sha256sum -c SHA256SUMS

每一行显示 OK 即文件未被改动。manifest.json 本身也在 SHA256SUMS 中。

This folder was exported by SettleGuard. manifest.json lists the incident and every evidence
item with its SHA-256, size, type, original name, and when and by whom it was added; the files
in files/ are named by their SHA-256. To check it:

    sha256sum -c SHA256SUMS

Every line reading OK is a file unchanged since it was recorded. manifest.json is listed too.
`;

async function incidentFacts(ctx: AppContext, id: string) {
  const { rows } = await ctx.db.query<{
    status: string;
    severity: string;
    title: { zh: string; en: string };
    opened_at: Date;
    merchant_name: string | null;
  }>(
    `SELECT i.status, i.severity, i.title, i.opened_at, m.name AS merchant_name
       FROM incidents i
       LEFT JOIN merchants m ON m.merchant_no = i.merchant_no AND m.valid_to IS NULL
      WHERE i.id = $1`,
    [id],
  );
  return rows[0];
}

function emptyOrAbsent(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

export async function exportEvidenceBundle(
  ctx: AppContext,
  store: EvidenceStore,
  input: { incidentId: string; dir: string },
): Promise<BundleSummary> {
  const incident = await findIncidentForEvidence(ctx.db, input.incidentId);
  if (!emptyOrAbsent(input.dir)) {
    throw new DomainError('conflict', `${input.dir} exists and is not empty; name a new folder`);
  }
  const facts = await incidentFacts(ctx, incident.id);
  const rows = await evidenceRows(ctx.db, incident.id);
  fs.mkdirSync(path.join(input.dir, 'files'), { recursive: true });

  const sums: { sha256: string; file: string }[] = [];
  const written = new Map<string, string>();
  const problems: BundleSummary['problems'] = [];
  const items = [];
  for (const row of rows) {
    let file = written.get(row.sha256) ?? null;
    if (file === null && !problems.some((p) => p.sha256 === row.sha256)) {
      try {
        const bytes = await store.read(row.sha256);
        if (bytes) {
          file = `files/${row.sha256}${extensionOf(row.media_type)}`;
          fs.writeFileSync(path.join(input.dir, ...file.split('/')), bytes);
          written.set(row.sha256, file);
          sums.push({ sha256: row.sha256, file });
        } else {
          problems.push({ evidenceId: row.id, sha256: row.sha256, code: 'file_missing' });
        }
      } catch (error) {
        if (!(error instanceof EvidenceFileAltered)) throw error;
        problems.push({ evidenceId: row.id, sha256: row.sha256, code: 'file_altered' });
      }
    }
    items.push({
      id: row.id,
      kind: row.kind,
      sha256: row.sha256,
      sizeBytes: row.size_bytes,
      mediaType: row.media_type,
      fileName: row.file_name,
      note: row.note,
      createdAt: row.created_at.toISOString(),
      createdBy: row.created_by,
      auditSeq: row.audit_seq,
      path: file,
    });
  }
  const chain = await verifyAuditTrail(ctx.db);
  const manifest = {
    format: BUNDLE_FORMAT,
    generatedAt: ctx.now().toISOString(),
    incident: {
      id: incident.id,
      merchantNo: incident.merchantNo,
      merchantName: facts?.merchant_name ?? null,
      status: facts?.status ?? null,
      severity: facts?.severity ?? null,
      title: facts?.title ?? null,
      drill: incident.drill,
      openedAt: facts ? facts.opened_at.toISOString() : null,
    },
    auditChain: chain,
    items,
    problems,
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  fs.writeFileSync(path.join(input.dir, 'manifest.json'), manifestText);
  fs.writeFileSync(path.join(input.dir, 'README.txt'), README);
  sums.push({ sha256: sha256Of(Buffer.from(manifestText, 'utf8')), file: 'manifest.json' });
  sums.push({ sha256: sha256Of(Buffer.from(README, 'utf8')), file: 'README.txt' });
  // The format `sha256sum -c` reads: hash, two spaces (text mode), path.
  fs.writeFileSync(
    path.join(input.dir, 'SHA256SUMS'),
    sums.map((s) => `${s.sha256}  ${s.file}\n`).join(''),
  );
  return { dir: input.dir, items: rows.length, files: written.size, problems };
}
