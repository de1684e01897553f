import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Iso8583Error, decodeMessage, encodeMessage, type IsoMessage } from './codec.js';
import {
  FRAME_LENGTH_MAX,
  FrameReader,
  encodeFrame,
  readFrameFile,
  splitFrames,
} from './frames.js';

function message(stan: number): IsoMessage {
  return {
    mti: '0210',
    fields: {
      3: '000000',
      4: String(stan * 100).padStart(12, '0'),
      11: String(stan).padStart(6, '0'),
      39: '00',
      41: '12345678',
      42: '310290058125801',
      43: `上海浦东某某餐饮 ${stan}`,
    },
  };
}

const MESSAGES = [message(1), message(22), message(333)].map((m) => encodeMessage(m, 'bcd'));
const STREAM = Buffer.concat(MESSAGES.map((m) => encodeFrame(m)));

function readAll(reader: FrameReader, chunks: readonly Buffer[]): Buffer[] {
  const frames: Buffer[] = [];
  for (const chunk of chunks) frames.push(...reader.push(chunk));
  reader.end();
  return frames;
}

describe('encodeFrame', () => {
  it('prefixes the length in 2 bytes, big-endian', () => {
    const frame = encodeFrame(Buffer.alloc(426, 1));
    expect(frame.subarray(0, 3)).toEqual(Buffer.from([0x01, 0xaa, 0x01]));
    expect(frame).toHaveLength(428);
  });

  it('refuses an empty message and one over the limit', () => {
    expect(() => encodeFrame(Buffer.alloc(0))).toThrow(Iso8583Error);
    expect(() => encodeFrame(Buffer.alloc(FRAME_LENGTH_MAX + 1))).toThrow(
      /exceeds the frame limit of 8192/,
    );
    expect(encodeFrame(Buffer.alloc(FRAME_LENGTH_MAX + 1), 0xffff)).toHaveLength(
      FRAME_LENGTH_MAX + 3,
    );
    expect(() => encodeFrame(Buffer.alloc(0x10000), 0x20000)).toThrow(/limit of 65535/);
  });
});

describe('FrameReader', () => {
  it('reads frames split at every byte boundary', () => {
    for (let cut = 0; cut <= STREAM.length; cut += 1) {
      const frames = readAll(new FrameReader(), [STREAM.subarray(0, cut), STREAM.subarray(cut)]);
      expect(frames).toEqual(MESSAGES);
    }
  });

  it('reads frames split at every pair of byte boundaries', () => {
    for (let a = 0; a <= STREAM.length; a += 1) {
      for (let b = a; b <= STREAM.length; b += 29) {
        const chunks = [STREAM.subarray(0, a), STREAM.subarray(a, b), STREAM.subarray(b)];
        expect(readAll(new FrameReader(), chunks)).toEqual(MESSAGES);
      }
    }
  });

  it('reads frames one byte at a time, keeping only the partial frame', () => {
    const reader = new FrameReader();
    const frames: Buffer[] = [];
    for (let i = 0; i < STREAM.length; i += 1) {
      frames.push(...reader.push(STREAM.subarray(i, i + 1)));
      expect(reader.pendingBytes).toBeLessThanOrEqual(
        2 + Math.max(...MESSAGES.map((m) => m.length)),
      );
    }
    reader.end();
    expect(frames.map((f) => decodeMessage(f, 'bcd').fields[11])).toEqual([
      '000001',
      '000022',
      '000333',
    ]);
  });

  it('skips zero-length keep-alive frames', () => {
    const reader = new FrameReader();
    expect(reader.push(Buffer.from([0, 0, 0]))).toEqual([]);
    expect(reader.push(Buffer.from([0]))).toEqual([]);
    expect(reader.pendingBytes).toBe(0);
    expect(splitFrames(Buffer.concat([Buffer.alloc(2), STREAM, Buffer.alloc(4)]))).toEqual(
      MESSAGES,
    );
  });

  it('refuses a length over the limit, then every later chunk', () => {
    const reader = new FrameReader(100);
    expect(reader.push(encodeFrame(Buffer.alloc(100, 7)))).toHaveLength(1);
    expect(() => reader.push(Buffer.from([0x00, 0x65]))).toThrow(
      /frame length 101 exceeds the limit of 100/,
    );
    expect(() => reader.push(Buffer.alloc(10))).toThrow(Iso8583Error);
    expect(() => reader.end()).toThrow(Iso8583Error);
    expect(() => new FrameReader().push(Buffer.from([0xff, 0xff]))).toThrow(/limit of 8192/);
  });

  it('hands over the frames before a bad length, then fails', () => {
    const reader = new FrameReader();
    expect(reader.push(Buffer.concat([STREAM, Buffer.from([0xff, 0xff, 1, 2])]))).toEqual(MESSAGES);
    expect(() => reader.end()).toThrow(/frame length 65535 exceeds/);
    expect(() => reader.push(Buffer.alloc(1))).toThrow(/frame length 65535 exceeds/);
  });

  it('reports a stream that ends inside a frame', () => {
    const reader = new FrameReader();
    reader.push(STREAM.subarray(0, STREAM.length - 1));
    expect(() => reader.end()).toThrow(/ends inside a frame \(\d+ bytes left\)/);
  });

  it('reads the frames the iso_8583 package writes', () => {
    type Instance = { getBufferMessage(): Buffer };
    const Iso8583 = createRequire(import.meta.url)('iso_8583') as new (
      data: Record<string, string>,
      formats: Record<string, unknown>,
    ) => Instance;
    const hexBitmap = { 1: { ContentType: 'an', Label: 'Bitmap', LenType: 'fixed', MaxLen: 16 } };
    const data = {
      0: '0400',
      3: '000000',
      4: '000000000100',
      11: '000001',
      41: 'T0000001',
      42: '102581083986056',
    };
    const framed = new Iso8583(data, hexBitmap).getBufferMessage();
    const [frame] = splitFrames(Buffer.concat([framed, framed]));
    const decoded = decodeMessage(frame!, 'ascii');
    const { 0: mti, ...fields } = data;
    expect(decoded).toEqual({ mti, fields });
  });
});

describe('readFrameFile', () => {
  function tempFile(bytes: Buffer): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-iso8583-'));
    const file = path.join(dir, 'capture.bin');
    fs.writeFileSync(file, bytes);
    return file;
  }

  it('streams the frames of a file in small chunks', async () => {
    const count = 2000;
    const frames = Array.from({ length: count }, (_, i) =>
      encodeFrame(encodeMessage(message(i + 1), 'bcd')),
    );
    const file = tempFile(Buffer.concat(frames));
    let n = 0;
    for await (const frame of readFrameFile(file, { chunkSize: 13 })) {
      n += 1;
      expect(decodeMessage(frame, 'bcd').fields[11]).toBe(String(n).padStart(6, '0'));
    }
    expect(n).toBe(count);
  });

  it('fails on a file cut inside a frame, after the whole frames', async () => {
    const file = tempFile(STREAM.subarray(0, STREAM.length - 3));
    const seen: Buffer[] = [];
    await expect(
      (async () => {
        for await (const frame of readFrameFile(file)) seen.push(frame);
      })(),
    ).rejects.toThrow(/ends inside a frame/);
    expect(seen).toEqual(MESSAGES.slice(0, 2));
  });

  it('fails on a length over the limit', async () => {
    const file = tempFile(Buffer.concat([STREAM, Buffer.from([0x7f, 0xff]), Buffer.alloc(10)]));
    const seen: Buffer[] = [];
    await expect(
      (async () => {
        for await (const frame of readFrameFile(file, { maxLength: 1024 })) seen.push(frame);
      })(),
    ).rejects.toThrow(/frame length 32767 exceeds the limit of 1024/);
    expect(seen).toEqual(MESSAGES);
  });
});
