/**
 * Framing of ISO 8583 messages on a TCP stream or in a file: each message is preceded by its
 * length in 2 bytes, big-endian binary (`01 AA` = 426 bytes follow). A length of 0 is a
 * keep-alive (heartbeat) some switches send on idle links; it carries no message and is skipped.
 *
 * A frame holds the message only. Where a CUP POS link puts a TPDU (5 bytes) and a message
 * header (6 bytes) before the message type, the caller strips them before decoding.
 */
import fs from 'node:fs';
import { Iso8583Error } from './codec.js';

/** Largest frame accepted by default; a longer length prefix is taken as a broken stream. */
export const FRAME_LENGTH_MAX = 8 * 1024;

/** Prefixes a message with its 2-byte big-endian length. */
export function encodeFrame(message: Uint8Array, maxLength: number = FRAME_LENGTH_MAX): Buffer {
  if (message.length === 0) throw new Iso8583Error('an empty message cannot be framed');
  if (message.length > Math.min(maxLength, 0xffff)) {
    throw new Iso8583Error(
      `a message of ${message.length} bytes exceeds the frame limit of ${Math.min(maxLength, 0xffff)}`,
    );
  }
  const frame = Buffer.alloc(2 + message.length);
  frame.writeUInt16BE(message.length, 0);
  frame.set(message, 2);
  return frame;
}

/**
 * Splits a byte stream into frames: `push` each chunk as it arrives and get back the frames it
 * completes; a partial frame is kept for the next chunk. Memory stays bounded by the frame limit
 * plus one chunk. After a too-long length prefix the stream cannot be resynchronised: the reader
 * throws (once it has handed over the whole frames before it) and refuses every later chunk.
 */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);
  private broken: Iso8583Error | undefined;

  constructor(readonly maxLength: number = FRAME_LENGTH_MAX) {}

  /** Bytes received that do not yet make a whole frame. */
  get pendingBytes(): number {
    return this.pending.length;
  }

  push(chunk: Uint8Array): Buffer[] {
    if (this.broken) throw this.broken;
    const buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    let offset = 0;
    while (buffer.length - offset >= 2) {
      const length = ((buffer[offset] ?? 0) << 8) | (buffer[offset + 1] ?? 0);
      if (length > this.maxLength) {
        this.pending = Buffer.alloc(0);
        this.broken = new Iso8583Error(
          `frame length ${length} exceeds the limit of ${this.maxLength} bytes`,
        );
        // The whole frames before it are good: hand them over, fail on the next call.
        if (frames.length > 0) return frames;
        throw this.broken;
      }
      if (buffer.length - offset - 2 < length) break;
      if (length > 0) {
        // A copy, so that a frame does not hold on to the whole chunk it came in.
        frames.push(Buffer.from(buffer.subarray(offset + 2, offset + 2 + length)));
      }
      offset += 2 + length;
    }
    this.pending = Buffer.from(buffer.subarray(offset));
    return frames;
  }

  /** Call at the end of the stream: throws when it ends inside a frame. */
  end(): void {
    if (this.broken) throw this.broken;
    if (this.pending.length > 0) {
      throw new Iso8583Error(`the stream ends inside a frame (${this.pending.length} bytes left)`);
    }
  }
}

/** Splits a whole buffer of frames at once. */
export function splitFrames(bytes: Uint8Array, maxLength: number = FRAME_LENGTH_MAX): Buffer[] {
  const reader = new FrameReader(maxLength);
  const frames = reader.push(bytes);
  reader.end();
  return frames;
}

/** Streams the frames of a file (a capture of a switch link, say) in bounded memory. */
export async function* readFrameFile(
  path: string,
  options: { maxLength?: number; chunkSize?: number } = {},
): AsyncGenerator<Buffer> {
  const reader = new FrameReader(options.maxLength ?? FRAME_LENGTH_MAX);
  const stream = fs.createReadStream(path, { highWaterMark: options.chunkSize ?? 64 * 1024 });
  try {
    for await (const chunk of stream) {
      yield* reader.push(chunk as Buffer);
    }
    reader.end();
  } finally {
    stream.destroy();
  }
}
