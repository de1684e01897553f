/**
 * Evidence, pure: what a file is (recognised by its content, never by the name or the type the
 * sender declares), how its name is made safe to keep and show, and the bounds. See
 * docs/adr/0014-evidence-and-case-file.md.
 */

export const EVIDENCE_KINDS = ['snapshot', 'file'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** One uploaded file at most this large. */
export const EVIDENCE_FILE_BYTES_MAX = 10 * 1024 * 1024;
export const EVIDENCE_FILE_NAME_LENGTH_MAX = 200;
export const EVIDENCE_NOTE_LENGTH_MAX = 2000;
/** Items per incident: bounds the list, the case file and the export. */
export const EVIDENCE_ITEMS_MAX = 500;

export const EVIDENCE_MEDIA_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain; charset=utf-8',
  'application/json',
] as const;
export type EvidenceMediaType = (typeof EVIDENCE_MEDIA_TYPES)[number];

const EXTENSIONS: Record<EvidenceMediaType, string> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'application/pdf': '.pdf',
  'text/plain; charset=utf-8': '.txt',
  'application/json': '.json',
};

export function extensionOf(mediaType: string): string {
  return (EXTENSIONS as Record<string, string>)[mediaType] ?? '.bin';
}

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + prefix.length) return false;
  return prefix.every((b, i) => bytes[offset + i] === b);
}

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

/**
 * The type of an uploaded file by its first bytes (PNG, JPEG, GIF, WebP, PDF), or plain
 * UTF-8 text (call notes); null for anything else. JSON is not accepted from people: it is the
 * format of the system's own snapshots.
 */
export function sniffMediaType(bytes: Uint8Array): EvidenceMediaType | null {
  if (bytes.length === 0) return null;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) {
    return 'image/gif';
  }
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(bytes, ascii('%PDF-'))) return 'application/pdf';
  return isPlainText(bytes) ? 'text/plain; charset=utf-8' : null;
}

/**
 * Valid UTF-8 without control characters other than tab, line feed, form feed and carriage
 * return (and a byte-order mark at the start): what a call note typed in any editor is, and
 * what a binary file of an unknown kind is not.
 */
export function isPlainText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d) continue;
    if (code < 0x20 || code === 0x7f) return false;
    if (code >= 0x80 && code <= 0x9f) return false;
  }
  return text.trim().length > 0;
}

/**
 * A file name as people gave it, made safe to store, show and put in a manifest: the last path
 * segment only, no control or path characters, trimmed, at most 200 characters (the extension
 * kept). Empty becomes `file` with the extension of the recognised type.
 */
export function sanitiseFileName(raw: string | undefined, mediaType: string): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  let name = base
    .normalize('NFC')
    // Control characters, and those Windows and shells treat specially.
    .replace(/[\p{Cc}\p{Cf}<>:"|?*]/gu, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  if (name.length === 0) name = `file${extensionOf(mediaType)}`;
  const chars = Array.from(name);
  if (chars.length > EVIDENCE_FILE_NAME_LENGTH_MAX) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = chars.slice(0, EVIDENCE_FILE_NAME_LENGTH_MAX - Array.from(ext).length).join('') + ext;
  }
  return name;
}

/** The relative path of a stored file: `sha256/ab/ab…` (64 hex). */
export function contentPath(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
  return `sha256/${sha256.slice(0, 2)}/${sha256}`;
}

/** What verification may find wrong with one item or with the chain. */
export const EVIDENCE_PROBLEMS = [
  /** The item's file is not in the store. */
  'file_missing',
  /** The file is there but its content no longer hashes to the recorded SHA-256. */
  'file_altered',
  /** The row differs from what its audit entry recorded (hash, size, type, name, note…). */
  'row_altered',
  /** The row names an audit entry that does not exist or records something else. */
  'audit_entry_missing',
  /** The audit chain records an item whose row is gone. */
  'row_missing',
  /** The audit chain itself does not verify (see `settleguard audit verify`). */
  'audit_chain_broken',
] as const;
export type EvidenceProblemCode = (typeof EVIDENCE_PROBLEMS)[number];
