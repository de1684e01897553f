/**
 * Protects account numbers and personal identifiers at rest.
 *
 * - `seal` / `open`: AES-256-GCM with a fresh 96-bit nonce per value; the stored form is
 *   version byte | nonce | tag | ciphertext. The purpose string is authenticated data, so a
 *   ciphertext of one kind of value cannot be passed off as another.
 * - `fingerprint`: HMAC-SHA256 under a key of its own, so that the same number can be found
 *   across merchants without decrypting anything.
 * Both keys are derived from one 32-byte master key with HKDF-SHA256.
 */
import crypto from 'node:crypto';

const FORMAT_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export type SealPurpose =
  | 'account_number'
  | 'resident_id'
  | 'phone'
  | 'card'
  // A webhook endpoint's signing secret: needed in clear to sign each delivery.
  | 'webhook_secret';

/** SHA-256's block: HMAC pads its key to it. */
const HMAC_BLOCK = 64;
/** Room for a value in the one-shot HMAC; longer values take `createHmac`. */
const SHORT_VALUE_BYTES = 240;

export class Vault {
  readonly #encryptionKey: Buffer;
  /** A key object, not bytes: an HMAC under it skips importing the key every time. */
  readonly #fingerprintKey: crypto.KeyObject;
  /**
   * HMAC's two padded keys (RFC 2104), for short values: ingest fingerprints every card number,
   * and two one-shot `crypto.hash` calls cost about a fifth less than a `createHmac` object.
   * `inner` holds K⊕ipad then the value; `outer` holds K⊕opad then the inner digest.
   */
  readonly #inner = Buffer.alloc(HMAC_BLOCK + SHORT_VALUE_BYTES);
  readonly #outer = Buffer.alloc(HMAC_BLOCK + 32);

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('The master key must be 32 bytes');
    this.#encryptionKey = derive(masterKey, 'settleguard/aes-256-gcm/v1');
    const fingerprintKey = derive(masterKey, 'settleguard/hmac-fingerprint/v1');
    this.#fingerprintKey = crypto.createSecretKey(fingerprintKey);
    // A 32-byte key is shorter than the block: it is padded with zeros, never hashed.
    for (let i = 0; i < HMAC_BLOCK; i += 1) {
      const k = fingerprintKey[i] ?? 0;
      this.#inner[i] = k ^ 0x36;
      this.#outer[i] = k ^ 0x5c;
    }
  }

  seal(purpose: SealPurpose, clear: string): Buffer {
    const nonce = crypto.randomBytes(NONCE_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.#encryptionKey, nonce);
    cipher.setAAD(Buffer.from(purpose));
    const body = Buffer.concat([cipher.update(clear, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_VERSION]), nonce, cipher.getAuthTag(), body]);
  }

  open(purpose: SealPurpose, sealed: Uint8Array): string {
    const data = Buffer.from(sealed);
    if (data[0] !== FORMAT_VERSION) throw new Error('Unknown sealed value format');
    const nonce = data.subarray(1, 1 + NONCE_BYTES);
    const tag = data.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES);
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.#encryptionKey, nonce);
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(tag);
    const body = data.subarray(1 + NONCE_BYTES + TAG_BYTES);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }

  /** Keyed fingerprint of a normalised value (hex). Equal values give equal fingerprints. */
  fingerprint(purpose: SealPurpose, normalised: string): string {
    const message = `${purpose}:${normalised}`;
    // Three UTF-8 bytes at most for each UTF-16 unit: a message this short always fits.
    if (message.length <= SHORT_VALUE_BYTES / 3) {
      const length = this.#inner.write(message, HMAC_BLOCK, 'utf8');
      crypto
        .hash('sha256', this.#inner.subarray(0, HMAC_BLOCK + length), 'buffer')
        .copy(this.#outer, HMAC_BLOCK);
      return crypto.hash('sha256', this.#outer, 'hex');
    }
    return crypto.createHmac('sha256', this.#fingerprintKey).update(message).digest('hex');
  }

  /** A value stored with the data so that starting with another key fails loudly. */
  keyCheck(): string {
    return this.fingerprint('account_number', 'settleguard-key-check');
  }
}

function derive(masterKey: Buffer, info: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32));
}

/** Parses a master key given as 64 hex characters or as base64 of 32 bytes. */
export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  const decoded = Buffer.from(trimmed, 'base64');
  if (decoded.length === 32) return decoded;
  throw new Error('The master key must be 32 bytes, as 64 hex characters or base64');
}
