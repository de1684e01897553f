/**
 * Terminal software versions as vendors write them (`V2.3.1`, `2.3`, `v1.02.003`): compared
 * part by part as numbers; a version with unreadable parts is never called outdated.
 */
function parts(version: string): number[] | null {
  const trimmed = version.trim().replace(/^[vV]/, '');
  if (!/^\d+(\.\d+)*$/.test(trimmed)) return null;
  return trimmed.split('.').map(Number);
}

/** True when `version` is below `minimum`; false when either cannot be read. */
export function isBelow(version: string, minimum: string): boolean {
  // A fleet runs a handful of versions against a handful of minimums: remember the answers.
  let byVersion = answers.get(minimum);
  const known = byVersion?.get(version);
  if (known !== undefined) return known;
  const below = compare(version, minimum);
  if (!byVersion) {
    if (answers.size >= MINIMUMS_MAX) answers.clear();
    byVersion = new Map();
    answers.set(minimum, byVersion);
  }
  if (byVersion.size >= VERSIONS_MAX) byVersion.clear();
  byVersion.set(version, below);
  return below;
}

const MINIMUMS_MAX = 1_000;
const VERSIONS_MAX = 10_000;
const answers = new Map<string, Map<string, boolean>>();

function compare(version: string, minimum: string): boolean {
  const a = parts(version);
  const b = parts(minimum);
  if (!a || !b) return false;
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}
