const GROUPED = new Intl.NumberFormat('en-US', { useGrouping: true, maximumFractionDigits: 0 });

/**
 * An amount in fen as yuan with two decimals: `¥1,234.56`. Whole integer arithmetic, so that no
 * fen is lost to floating point; a currency other than CNY is written before the number by its code.
 */
export function formatFen(amountFen: number, currency = 'CNY'): string {
  if (!Number.isSafeInteger(amountFen)) return String(amountFen);
  const sign = amountFen < 0 ? '-' : '';
  const absolute = Math.abs(amountFen);
  const yuan = GROUPED.format(Math.floor(absolute / 100));
  const fen = String(absolute % 100).padStart(2, '0');
  const symbol = currency === 'CNY' ? '¥' : `${currency} `;
  return `${sign}${symbol}${yuan}.${fen}`;
}
