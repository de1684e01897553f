/**
 * The line screening of core/settlement/screening.ts, in SQL, for every merchant of a set at
 * once: the settlement run screens 100,000 merchants in one statement instead of a query per
 * merchant. The reasons array is built from HOLD_REASONS, so its order is the core's order; the
 * property test (test/settlement-property.db.test.ts) checks both give the same answer.
 *
 * `screeningCtes` expects a CTE `candidates (merchant_no text, line_account_id uuid)` before it
 * and two parameters at fixed positions: $1 the screening time (timestamptz) and $2 the
 * cooling-off period in hours (int). It ends with the CTE `facts`.
 */
import {
  HOLD_REASONS,
  INCIDENT_STATUSES_NOT_HOLDING,
  type HoldReason,
} from '../../core/settlement/screening.js';

/** Each reason as a condition over the columns of `screened`. */
const REASON_CONDITIONS: Record<HoldReason, string> = {
  merchant_unknown: 'NOT s.known',
  account_missing: 's.account_id IS NULL',
  account_changed:
    's.account_id IS NOT NULL AND s.line_account_id IS NOT NULL AND s.account_id <> s.line_account_id',
  account_not_active: "s.account_id IS NOT NULL AND s.account_status <> 'active'",
  account_not_verified: "s.account_status = 'pending_verification'",
  account_name_mismatch: "s.name_check_result = 'no_match'",
  account_cooling_off:
    's.is_change AND s.live_since IS NOT NULL AND s.live_since > $1::timestamptz - make_interval(hours => $2::int)',
  shared_account: 's.shared',
  settlement_hold: 's.held',
  open_incident: 's.incident',
};

const REASONS_ARRAY = `array_remove(ARRAY[${HOLD_REASONS.map(
  (reason) => `CASE WHEN ${REASON_CONDITIONS[reason]} THEN '${reason}' END`,
).join(',\n    ')}]::text[], NULL)`;

export const SCREENING_CTES = `
current_merchants AS (
  SELECT merchant_no, mcc, legal_person_id_fp FROM merchants WHERE valid_to IS NULL
),
-- The account in force: the newest current version that is not superseded (ADR 5).
in_force AS (
  SELECT DISTINCT ON (merchant_no) merchant_no, version_id, account_id, account_fp, status,
         name_check->>'result' AS name_check_result, account_number_masked, account_name,
         bank_name
    FROM settlement_accounts
   WHERE valid_to IS NULL AND status <> 'superseded'
   ORDER BY merchant_no, valid_from DESC, version_id DESC
),
-- An account is shared with an unrelated merchant when the merchants whose account in force it
-- is have more than one legal person among them: then each of them has a sharer with another.
sharing AS (
  SELECT f.merchant_no,
         min(m.legal_person_id_fp) OVER w <> max(m.legal_person_id_fp) OVER w AS shared
    FROM in_force f JOIN current_merchants m ON m.merchant_no = f.merchant_no
  WINDOW w AS (PARTITION BY f.account_fp)
),
account_history AS (
  SELECT a.merchant_no,
         count(DISTINCT a.account_id) > 1 AS is_change,
         min(a.valid_from) FILTER (WHERE a.status = 'active' AND a.account_id = f.account_id)
           AS live_since
    FROM settlement_accounts a JOIN in_force f ON f.merchant_no = a.merchant_no
   GROUP BY a.merchant_no
),
holds AS (
  SELECT DISTINCT merchant_no FROM settlement_holds WHERE released_at IS NULL
),
open_incidents AS (
  SELECT DISTINCT merchant_no FROM incidents
   WHERE status NOT IN (${INCIDENT_STATUSES_NOT_HOLDING.map((s) => `'${s}'`).join(', ')})
     AND NOT drill
),
screened AS (
  SELECT c.merchant_no, c.line_account_id, m.mcc, m.merchant_no IS NOT NULL AS known,
         f.version_id AS account_version_id, f.account_id, f.status AS account_status,
         f.name_check_result, f.account_number_masked, f.account_name, f.bank_name,
         COALESCE(h.is_change, false) AS is_change, h.live_since,
         COALESCE(sh.shared, false) AS shared,
         ho.merchant_no IS NOT NULL AS held,
         oi.merchant_no IS NOT NULL AS incident
    FROM candidates c
    LEFT JOIN current_merchants m ON m.merchant_no = c.merchant_no
    LEFT JOIN in_force f ON f.merchant_no = c.merchant_no
    LEFT JOIN sharing sh ON sh.merchant_no = c.merchant_no
    LEFT JOIN account_history h ON h.merchant_no = c.merchant_no
    LEFT JOIN holds ho ON ho.merchant_no = c.merchant_no
    LEFT JOIN open_incidents oi ON oi.merchant_no = c.merchant_no
),
facts AS (
  SELECT s.*, ${REASONS_ARRAY} AS reasons FROM screened s
)`;
