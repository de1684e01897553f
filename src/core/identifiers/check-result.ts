import type { FieldIssue } from '../errors.js';

/**
 * The answer of every identifier check: either the normalised value (with warnings that do not
 * stop it from being used) or the issues that make it unusable.
 */
export type CheckResult =
  { ok: true; value: string; warnings: FieldIssue[] } | { ok: false; issues: FieldIssue[] };

export function passed(value: string, warnings: FieldIssue[] = []): CheckResult {
  return { ok: true, value, warnings };
}

export function failed(...issues: FieldIssue[]): CheckResult {
  return { ok: false, issues };
}
