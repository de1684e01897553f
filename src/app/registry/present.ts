/**
 * The outward shape of registry objects: what the API, the console, exports and audit entries
 * show. Only masked numbers ever appear here.
 */
import type { AccountRow, MerchantRow, TerminalRow } from '../../storage/registry-repository.js';

export function presentAccount(row: AccountRow) {
  return {
    id: row.account_id,
    accountNumberMasked: row.account_number_masked,
    accountName: row.account_name,
    accountType: row.account_type,
    bankName: row.bank_name,
    bankCode: row.bank_code,
    status: row.status,
    statusReason: row.status_reason,
    nameCheck: row.name_check,
    warnings: row.warnings,
    validFrom: row.valid_from.toISOString(),
    validTo: row.valid_to ? row.valid_to.toISOString() : null,
  };
}

export function presentTerminal(row: TerminalRow) {
  return {
    terminalId: row.terminal_id,
    merchantNo: row.merchant_no,
    serialNumber: row.serial_number,
    model: row.model,
    firmwareVersion: row.firmware_version,
    location: row.location,
    status: row.status,
    statusReason: row.status_reason,
    validFrom: row.valid_from.toISOString(),
  };
}

export function presentMerchantIdentity(row: MerchantRow) {
  return {
    merchantNo: row.merchant_no,
    name: row.name,
    type: row.type,
    status: row.status,
    uscc: row.uscc,
    usccChecksumOverrideReason: row.uscc_override_reason,
    legalPerson: { name: row.legal_person_name, idNumberMasked: row.legal_person_id_masked },
    mcc: row.mcc,
    contactPhoneMasked: row.contact_phone_masked,
    address: row.address,
    validFrom: row.valid_from.toISOString(),
  };
}

export type PresentedAccount = ReturnType<typeof presentAccount>;
export type PresentedTerminal = ReturnType<typeof presentTerminal>;
