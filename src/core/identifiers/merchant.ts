import { issue } from '../errors.js';
import { failed, passed, type CheckResult } from './check-result.js';
import { asText, toHalfWidth } from './normalize.js';

/** Merchant number (商户号): 15 digits. */
export function checkMerchantNo(raw: string, path: string): CheckResult {
  const value = toHalfWidth(asText(raw)).trim();
  if (!/^\d{15}$/.test(value)) {
    return failed(issue(path, 'merchant_no_format', 'Merchant number must be 15 digits.'));
  }
  return passed(value);
}

/** Terminal id (终端号): 8 characters, digits and capital letters A to Z. */
export function checkTerminalId(raw: string, path: string): CheckResult {
  const value = toHalfWidth(asText(raw)).trim().toUpperCase();
  if (!/^[0-9A-Z]{8}$/.test(value)) {
    return failed(
      issue(
        path,
        'terminal_id_format',
        'Terminal id must be 8 characters: digits and letters A-Z.',
      ),
    );
  }
  return passed(value);
}

/** Merchant category code (MCC): 4 digits. */
export function checkMcc(raw: string, path: string): CheckResult {
  const value = toHalfWidth(asText(raw)).trim();
  if (!/^\d{4}$/.test(value)) {
    return failed(issue(path, 'mcc_format', 'Merchant category code must be 4 digits.'));
  }
  return passed(value);
}
