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
 * for. The same bundle is written as a folder (`settleguard evidence export`) or streamed as a
 * tar archive (`GET /api/v1/incidents/{id}/evidence/export`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../context.js';
import { authorise, ensureInScope } from '../context.js';
import type { Principal } from '../../core/roles.js';
import { DomainError } from '../../core/errors.js';
import { extensionOf } from '../../core/evidence.js';
import { verifyAuditTrail } from '../audit.js';
import { EvidenceFileAltered, sha256Of, type EvidenceStore } from './store.js';
import { tarFooter, tarHeader, tarPadding } from './tar.js';
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

/** A bundle ready to write: its texts, and the files to copy from the store. */
export interface PreparedBundle {
  incidentId: string;
  /** Paths inside the bundle, in order, each with the hash its content must have. */
  files: { path: string; sha256: string; sizeBytes: number }[];
  texts: { path: string; text: string }[];
  items: number;
  problems: BundleSummary['problems'];
}

/** Reads the incident and its items, checks every file once, and composes the texts. */
export async function prepareBundle(
  ctx: AppContext,
  store: EvidenceStore,
  incidentId: string,
): Promise<PreparedBundle> {
  const incident = await findIncidentForEvidence(ctx.db, incidentId);
  const facts = await incidentFacts(ctx, incident.id);
  const rows = await evidenceRows(ctx.db, incident.id);
  const files: PreparedBundle['files'] = [];
  const placed = new Map<string, { path: string } | { problem: 'file_missing' | 'file_altered' }>();
  const problems: BundleSummary['problems'] = [];
  const items = [];
  for (const row of rows) {
    let place = placed.get(row.sha256);
    if (!place) {
      const check = await store.check(row.sha256);
      if (check.state === 'ok') {
        place = { path: `files/${row.sha256}${extensionOf(row.media_type)}` };
        files.push({ path: place.path, sha256: row.sha256, sizeBytes: check.sizeBytes });
      } else {
        place = { problem: check.state === 'missing' ? 'file_missing' : 'file_altered' };
      }
      placed.set(row.sha256, place);
    }
    const file = 'path' in place ? place.path : null;
    if ('problem' in place) {
      problems.push({ evidenceId: row.id, sha256: row.sha256, code: place.problem });
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
    auditChain: await verifyAuditTrail(ctx.db),
    items,
    problems,
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  const sums = [
    ...files.map((f) => ({ sha256: f.sha256, file: f.path })),
    { sha256: sha256Of(Buffer.from(manifestText, 'utf8')), file: 'manifest.json' },
    { sha256: sha256Of(Buffer.from(README, 'utf8')), file: 'README.txt' },
  ];
  return {
    incidentId: incident.id,
    files,
    texts: [
      { path: 'manifest.json', text: manifestText },
      { path: 'README.txt', text: README },
      // The format `sha256sum -c` reads: hash, two spaces (text mode), path.
      { path: 'SHA256SUMS', text: sums.map((s) => `${s.sha256}  ${s.file}\n`).join('') },
    ],
    items: rows.length,
    problems,
  };
}

/** A file's bytes, verified against its hash once more as they are copied out. */
async function contentOf(store: EvidenceStore, sha256: string): Promise<Buffer> {
  const bytes = await store.read(sha256);
  if (!bytes) throw new EvidenceFileAltered(sha256);
  return bytes;
}

export async function exportEvidenceBundle(
  ctx: AppContext,
  store: EvidenceStore,
  input: { incidentId: string; dir: string },
): Promise<BundleSummary> {
  await findIncidentForEvidence(ctx.db, input.incidentId);
  if (!emptyOrAbsent(input.dir)) {
    throw new DomainError('conflict', `${input.dir} exists and is not empty; name a new folder`);
  }
  const bundle = await prepareBundle(ctx, store, input.incidentId);
  fs.mkdirSync(path.join(input.dir, 'files'), { recursive: true });
  for (const file of bundle.files) {
    fs.writeFileSync(
      path.join(input.dir, ...file.path.split('/')),
      await contentOf(store, file.sha256),
    );
  }
  for (const text of bundle.texts) fs.writeFileSync(path.join(input.dir, text.path), text.text);
  return {
    dir: input.dir,
    items: bundle.items,
    files: bundle.files.length,
    problems: bundle.problems,
  };
}

/** The bundle as a tar archive under one folder `evidence-<incident id>/`, streamed. */
export async function* bundleTar(
  store: EvidenceStore,
  bundle: PreparedBundle,
  mtime: Date,
): AsyncGenerator<Buffer> {
  const folder = `evidence-${bundle.incidentId}`;
  for (const file of bundle.files) {
    const bytes = await contentOf(store, file.sha256);
    yield tarHeader({ path: `${folder}/${file.path}`, size: bytes.length, mtime });
    yield bytes;
    yield tarPadding(bytes.length);
  }
  for (const text of bundle.texts) {
    const bytes = Buffer.from(text.text, 'utf8');
    yield tarHeader({ path: `${folder}/${text.path}`, size: bytes.length, mtime });
    yield bytes;
    yield tarPadding(bytes.length);
  }
  yield tarFooter();
}

/** The HTTP use case: the bundle of one incident, for those who may export evidence. */
export async function bundleForDownload(
  ctx: AppContext,
  store: EvidenceStore | null,
  principal: Principal,
  incidentId: string,
): Promise<PreparedBundle> {
  authorise(principal, 'evidence.export');
  const incident = await findIncidentForEvidence(ctx.db, incidentId);
  ensureInScope(principal, incident.merchantNo, 'Incident');
  if (!store) {
    throw new DomainError(
      'evidence_store_unavailable',
      'This server keeps no evidence files: set SETTLEGUARD_EVIDENCE_DIR',
    );
  }
  return prepareBundle(ctx, store, incident.id);
}
