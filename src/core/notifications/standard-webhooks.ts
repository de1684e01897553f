/**
 * The Standard Webhooks signing scheme (standardwebhooks.com), exactly: a message is signed as
 * `${id}.${timestamp}.${body}` with HMAC-SHA256, keyed with the bytes the secret encodes after
 * its `whsec_` prefix (base64), and the signature header carries `v1,<base64 of the HMAC>`.
 * Pure: the caller passes the time and the random bytes.
 */
import crypto from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';
/** Bytes of a generated secret: 24, as the scheme's reference libraries make them. */
export const SECRET_BYTES = 24;
/** The scheme asks for keys of 24 to 64 bytes. */
export const SECRET_BYTES_MIN = 24;
export const SECRET_BYTES_MAX = 64;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** `whsec_` followed by the base64 of the given random bytes. */
export function formatSecret(random: Buffer): string {
  return `${SECRET_PREFIX}${random.toString('base64')}`;
}

/** The HMAC key of a secret, or null when the secret is not `whsec_` + base64 of 24–64 bytes. */
export function secretKey(secret: string): Buffer | null {
  if (!secret.startsWith(SECRET_PREFIX)) return null;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) return null;
  const key = Buffer.from(encoded, 'base64');
  if (key.length < SECRET_BYTES_MIN || key.length > SECRET_BYTES_MAX) return null;
  return key;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The three headers of a message; `timestampSeconds` is Unix time in whole seconds. */
export function signMessage(input: {
  secret: string;
  messageId: string;
  timestampSeconds: number;
  body: string;
}): SignedHeaders {
  const key = secretKey(input.secret);
  if (!key) throw new Error('not a whsec_ secret');
  const timestamp = String(Math.floor(input.timestampSeconds));
  const signature = crypto
    .createHmac('sha256', key)
    .update(`${input.messageId}.${timestamp}.${input.body}`, 'utf8')
    .digest('base64');
  return {
    'webhook-id': input.messageId,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signature}`,
  };
}

/** A delivery's body: `{ type, timestamp, data }`, timestamp being the event's RFC 3339 time. */
export function messageBody(input: { type: string; at: Date; data: unknown }): string {
  return JSON.stringify({ type: input.type, timestamp: input.at.toISOString(), data: input.data });
}
