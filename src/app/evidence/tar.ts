/**
 * Just enough of the POSIX ustar format to stream an evidence bundle: regular files only,
 * paths split into prefix and name when longer than 100 bytes, read-only modes. Any tar
 * (GNU, bsdtar, 7-Zip) reads it.
 */

const BLOCK = 512;

function field(header: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new Error(`tar field too long: ${value}`);
  bytes.copy(header, offset);
}

/** Octal, zero-padded, NUL-terminated, as ustar numbers are. */
function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

function splitPath(path: string): { prefix: string; name: string } {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  const cut = path.lastIndexOf('/', 155);
  const prefix = path.slice(0, cut);
  const name = path.slice(cut + 1);
  if (cut <= 0 || Buffer.byteLength(prefix) > 155 || Buffer.byteLength(name) > 100) {
    throw new Error(`path too long for ustar: ${path}`);
  }
  return { prefix, name };
}

export function tarHeader(entry: { path: string; size: number; mtime: Date }): Buffer {
  const header = Buffer.alloc(BLOCK);
  const { prefix, name } = splitPath(entry.path);
  field(header, 0, 100, name);
  field(header, 100, 8, octal(0o444, 8));
  field(header, 108, 8, octal(0, 8));
  field(header, 116, 8, octal(0, 8));
  field(header, 124, 12, octal(entry.size, 12));
  field(header, 136, 12, octal(Math.floor(entry.mtime.getTime() / 1000), 12));
  // The checksum is computed with its own field as eight spaces.
  field(header, 148, 8, '        ');
  field(header, 156, 1, '0');
  field(header, 257, 6, 'ustar\0');
  field(header, 263, 2, '00');
  field(header, 265, 32, 'settleguard');
  field(header, 297, 32, 'settleguard');
  field(header, 345, 155, prefix);
  let sum = 0;
  for (const byte of header) sum += byte;
  field(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return header;
}

/** Zeros up to the next 512-byte block after content of this size. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** Two empty blocks end the archive. */
export function tarFooter(): Buffer {
  return Buffer.alloc(BLOCK * 2);
}
