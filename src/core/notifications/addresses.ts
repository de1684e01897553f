/**
 * Where notifications go: e-mail addresses and webhook URLs, checked before they are stored.
 * Deliberately plain: an address is `local@domain` with a dotted domain, no spaces, no display
 * name, at most 254 characters (RFC 5321's path limit); a URL is http(s) without credentials.
 */

export const EMAIL_LENGTH_MAX = 254;
export const WEBHOOK_URL_LENGTH_MAX = 2048;

const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** The address lower-cased in its domain, or null when it is not a plain address. */
export function normaliseEmail(raw: string): string | null {
  const trimmed = raw.trim();
  if (trimmed.length > EMAIL_LENGTH_MAX || !EMAIL.test(trimmed)) return null;
  const at = trimmed.lastIndexOf('@');
  if (trimmed.startsWith('.') || trimmed.slice(0, at).endsWith('.')) return null;
  if (trimmed.slice(0, at).includes('..')) return null;
  return `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
}

/** `zhang.san@example.com` → `z***@example.com`: enough to recognise, not to harvest. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  return `${address.slice(0, 1)}***${address.slice(at)}`;
}

export type WebhookUrlProblem = 'too_long' | 'not_a_url' | 'scheme' | 'credentials' | 'fragment';

/** What is wrong with a webhook URL, or null when it may be used. */
export function webhookUrlProblem(raw: string): WebhookUrlProblem | null {
  if (raw.length > WEBHOOK_URL_LENGTH_MAX) return 'too_long';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not_a_url';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'scheme';
  if (url.username !== '' || url.password !== '') return 'credentials';
  if (url.hash !== '') return 'fragment';
  if (url.hostname === '') return 'not_a_url';
  return null;
}

export const WEBHOOK_URL_MESSAGES: Record<WebhookUrlProblem, string> = {
  too_long: `At most ${WEBHOOK_URL_LENGTH_MAX} characters`,
  not_a_url: 'Not an absolute URL',
  scheme: 'Only http and https URLs',
  credentials: 'No user name or password in the URL; the signature authenticates the sender',
  fragment: 'No #fragment: it is never sent',
};
