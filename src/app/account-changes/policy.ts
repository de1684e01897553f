/**
 * The limits of account changes: at most `max` changes in `windowDays` days per merchant
 * (SETTLEGUARD_ACCOUNT_CHANGE_MAX, SETTLEGUARD_ACCOUNT_CHANGE_WINDOW_DAYS), and the settlement
 * policy's cooling-off period after a change.
 */
export interface AccountChangePolicy {
  max: number;
  windowDays: number;
}

export const DEFAULT_ACCOUNT_CHANGE_POLICY: AccountChangePolicy = { max: 2, windowDays: 30 };

export const DOCUMENT_IDS_MAX = 20;
