import { issue } from '../errors.js';
import { failed, passed, type CheckResult } from './check-result.js';
import { asText, compact } from './normalize.js';

/**
 * Mainland mobile number: 11 digits starting with 13 to 19, optionally after +86, 0086 or 86.
 * The value is the bare 11 digits.
 */
export function checkMobile(raw: string, path: string): CheckResult {
  const text = compact(asText(raw));
  const value = text.replace(/^(?:\+86|0086|86)(?=\d{11}$)/, '');
  if (!/^1[3-9]\d{9}$/.test(value)) {
    return failed(
      issue(
        path,
        'mobile_format',
        'Mobile number must be a mainland number of 11 digits starting with 13 to 19 (+86 allowed).',
      ),
    );
  }
  return passed(value);
}
