import { describe, expect, it } from 'vitest';
import { contentPath, isPlainText, sanitiseFileName, sniffMediaType } from './evidence.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const ascii = (text: string) => new TextEncoder().encode(text);

describe('sniffMediaType', () => {
  it('recognises images and PDF by their first bytes', () => {
    expect(sniffMediaType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe(
      'image/png',
    );
    expect(sniffMediaType(bytes(0xff, 0xd8, 0xff, 0xdb))).toBe('image/jpeg');
    expect(sniffMediaType(ascii('GIF87a...'))).toBe('image/gif');
    expect(sniffMediaType(ascii('GIF89a...'))).toBe('image/gif');
    expect(sniffMediaType(ascii('RIFF\x10\x00\x00\x00WEBPVP8 '))).toBe('image/webp');
    expect(sniffMediaType(ascii('%PDF-1.7\n'))).toBe('application/pdf');
  });

  it('takes UTF-8 text with line breaks, and nothing binary', () => {
    expect(sniffMediaType(ascii('致电开户行\r\n\t已确认冻结\n'))).toBe('text/plain; charset=utf-8');
    expect(sniffMediaType(bytes(0xef, 0xbb, 0xbf, ...ascii('带 BOM 的记录')))).toBe(
      'text/plain; charset=utf-8',
    );
    expect(sniffMediaType(bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1))).toBeNull();
    expect(sniffMediaType(bytes(0xc3, 0x28))).toBeNull();
    expect(sniffMediaType(ascii('text with a \u0000 NUL'))).toBeNull();
    expect(sniffMediaType(ascii('escape \u001b[31m red'))).toBeNull();
    expect(sniffMediaType(bytes())).toBeNull();
    // A truncated signature is not the thing it starts like.
    expect(sniffMediaType(bytes(0x89, 0x50, 0x4e))).toBeNull();
    expect(sniffMediaType(ascii('RIFF\x10\x00\x00\x00WAVE'))).toBeNull();
  });

  it('does not take blank text as a note', () => {
    expect(isPlainText(ascii(' \r\n\t '))).toBe(false);
  });
});

describe('sanitiseFileName', () => {
  it('keeps the last path segment, without control or reserved characters', () => {
    expect(sanitiseFileName('C:\\Users\\王\\截图 1.png', 'image/png')).toBe('截图 1.png');
    expect(sanitiseFileName('../../etc/passwd', 'text/plain; charset=utf-8')).toBe('passwd');
    expect(sanitiseFileName('a\u202egnp.exe', 'image/png')).toBe('a_gnp.exe');
    expect(sanitiseFileName('报告:"终稿"?.pdf', 'application/pdf')).toBe('报告__终稿__.pdf');
    expect(sanitiseFileName('...hidden', 'image/png')).toBe('hidden');
  });

  it('names a nameless file by its type', () => {
    expect(sanitiseFileName(undefined, 'image/png')).toBe('file.png');
    expect(sanitiseFileName('  ', 'application/pdf')).toBe('file.pdf');
  });

  it('cuts a long name to 200 characters and keeps the extension', () => {
    const name = sanitiseFileName(`${'长'.repeat(300)}.png`, 'image/png');
    expect(Array.from(name)).toHaveLength(200);
    expect(name.endsWith('.png')).toBe(true);
  });
});

describe('contentPath', () => {
  it('files content under its hash, two hex digits a folder', () => {
    const sha = 'ab'.padEnd(64, '0');
    expect(contentPath(sha)).toBe(`sha256/ab/${sha}`);
    expect(() => contentPath('../etc')).toThrow();
  });
});
