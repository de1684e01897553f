/**
 * A yuan amount as typed (`0.37`, `.5`, `1`) in whole fen, or undefined when it is not one: no
 * floating point, so 0.29 stays 29 fen. At most two decimals; at most 999.99 yuan (a micro-deposit
 * is under one yuan, a test transaction under ten).
 */
export function yuanToFen(text: string): number | undefined {
  const match = /^(\d{0,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (match === null) return undefined;
  const whole = match[1] ?? '';
  const decimals = match[2] ?? '';
  if (whole === '' && decimals === '') return undefined;
  const fen = Number(whole === '' ? '0' : whole) * 100 + Number(decimals.padEnd(2, '0'));
  return fen > 0 ? fen : undefined;
}
