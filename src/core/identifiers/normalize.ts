/**
 * Text clean-up shared by the identifier checks. Numbers are often pasted from documents typed
 * with a Chinese input method, which produces full-width digits and letters (１２３ＡＢＣ) and
 * ideographic spaces.
 */

/** Full-width ASCII (U+FF01 to U+FF5E) to half-width, ideographic space (U+3000) to space. */
export function toHalfWidth(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

/** Half-width, then without whitespace and hyphens (of any kind): `6222 0212-3456` → `622202123456`. */
export function compact(text: string): string {
  return toHalfWidth(text).replace(/[\s\-\u2010-\u2015\u2212]/g, '');
}

/** Accept only strings; anything else (from untyped JSON) is treated as empty. */
export function asText(raw: unknown): string {
  return typeof raw === 'string' ? raw : '';
}
