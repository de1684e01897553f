/**
 * Brings in an existing portfolio: each record (a merchant, its settlement account, its
 * terminals) is taken or refused whole, and a refused record never costs the others. Records
 * are validated in memory first; then each is written under its own savepoint of one
 * transaction, so that a conflict found by the database refuses that record only.
 */
import type { AppContext } from '../context.js';
import { authorise, changeRegistry } from '../context.js';
import { DomainError, issue, type ErrorCode, type FieldIssue } from '../../core/errors.js';
import type { Principal } from '../../core/roles.js';
import type { ImportRecord } from '../../core/registry.js';
import {
  validateAccount,
  validateMerchant,
  validateTerminal,
  type ValidAccount,
  type ValidMerchant,
  type ValidTerminal,
} from '../../core/registry-validation.js';
import { existingMerchantNos } from '../../storage/registry-repository.js';
import { writeAccount, writeMerchant, writeTerminal } from './write-registry.js';

export const IMPORT_BATCH_MAX = 1000;
export const TERMINALS_PER_RECORD_MAX = 200;

export interface ImportFailure {
  index: number;
  code: ErrorCode;
  message: string;
  errors: { path: string; code: ErrorCode; message: string }[];
}

export interface ImportResult {
  imported: number;
  failed: ImportFailure[];
  /** Accounts taken whose holder name does not match: each raised an alert. */
  nameMismatches: string[];
}

interface PreparedRecord {
  index: number;
  merchant: ValidMerchant;
  account:
    (ValidAccount & { status: 'active' | 'pending_verification'; warnings: FieldIssue[] }) | null;
  terminals: ValidTerminal[];
}

function failure(
  index: number,
  issues: readonly FieldIssue[],
  fallback: string,
  fallbackCode: ErrorCode = 'validation_failed',
): ImportFailure {
  const errors = issues
    .filter((i) => i.severity === 'error')
    .map(({ path, code, message }) => ({ path, code, message }));
  const first = errors[0];
  return {
    index,
    code: first?.code ?? fallbackCode,
    message: first ? `${first.path}: ${first.message}` : fallback,
    errors,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates one record without touching the database. */
export function prepareRecord(
  raw: unknown,
  index: number,
  today: Date,
): { ok: true; record: PreparedRecord } | { ok: false; failure: ImportFailure } {
  if (!isObject(raw) || !isObject(raw.merchant)) {
    return {
      ok: false,
      failure: failure(
        index,
        [issue('merchant', 'validation_failed', 'A record needs a merchant object')],
        '',
      ),
    };
  }
  const record = raw as unknown as ImportRecord;
  const issues: FieldIssue[] = [];
  const merchant = validateMerchant(record.merchant, { today, pathPrefix: 'merchant' });
  if (!merchant.ok) issues.push(...merchant.issues);

  let account: PreparedRecord['account'] = null;
  if (record.settlementAccount !== undefined && record.settlementAccount !== null) {
    const status = record.settlementAccount.status ?? 'active';
    if (status !== 'active' && status !== 'pending_verification') {
      issues.push(
        issue('settlementAccount.status', 'validation_failed', 'active or pending_verification'),
      );
    } else if (merchant.ok) {
      const checked = validateAccount(record.settlementAccount, merchant.value, {
        pathPrefix: 'settlementAccount',
      });
      if (checked.ok) account = { ...checked.value, status, warnings: checked.warnings };
      else issues.push(...checked.issues);
    }
  }

  const terminals: ValidTerminal[] = [];
  const rawTerminals = record.terminals ?? [];
  if (!Array.isArray(rawTerminals) || rawTerminals.length > TERMINALS_PER_RECORD_MAX) {
    issues.push(
      issue('terminals', 'validation_failed', `A list of at most ${TERMINALS_PER_RECORD_MAX}`),
    );
  } else {
    const seen = new Set<string>();
    for (const [position, terminal] of rawTerminals.entries()) {
      const checked = validateTerminal(isObject(terminal) ? terminal : ({} as never), {
        pathPrefix: `terminals.${position}`,
        merchantNo: merchant.ok ? merchant.value.merchantNo : '000000000000000',
      });
      if (!checked.ok) {
        issues.push(...checked.issues);
      } else if (seen.has(checked.value.terminalId)) {
        issues.push(
          issue(`terminals.${position}.terminalId`, 'conflict', 'Listed twice in this record'),
        );
      } else {
        seen.add(checked.value.terminalId);
        terminals.push(checked.value);
      }
    }
  }
  if (issues.length > 0 || !merchant.ok) {
    return { ok: false, failure: failure(index, issues, 'Invalid record') };
  }
  return { ok: true, record: { index, merchant: merchant.value, account, terminals } };
}

export async function importPortfolio(
  ctx: AppContext,
  principal: Principal | null,
  records: readonly unknown[],
  options: { actor?: string } = {},
): Promise<ImportResult> {
  if (principal) authorise(principal, 'registry.import');
  if (records.length > IMPORT_BATCH_MAX) {
    throw new DomainError(
      'batch_too_large',
      `At most ${IMPORT_BATCH_MAX} records a call; got ${records.length}`,
    );
  }
  const actor = principal?.username ?? options.actor ?? 'cli';
  const at = ctx.now();
  const failed: ImportFailure[] = [];
  const prepared: PreparedRecord[] = [];
  const merchantNosInBatch = new Set<string>();
  for (const [index, raw] of records.entries()) {
    const result = prepareRecord(raw, index, at);
    if (!result.ok) {
      failed.push(result.failure);
    } else if (merchantNosInBatch.has(result.record.merchant.merchantNo)) {
      failed.push(
        failure(
          index,
          [issue('merchant.merchantNo', 'conflict', 'Listed twice in this import')],
          '',
        ),
      );
    } else {
      merchantNosInBatch.add(result.record.merchant.merchantNo);
      prepared.push(result.record);
    }
  }

  const nameMismatches: string[] = [];
  let imported = 0;
  await changeRegistry(ctx, async (tx, changed) => {
    const existing = await existingMerchantNos(
      tx,
      prepared.map((r) => r.merchant.merchantNo),
    );
    for (const record of prepared) {
      if (existing.has(record.merchant.merchantNo)) {
        failed.push(
          failure(
            record.index,
            [
              issue(
                'merchant.merchantNo',
                'conflict',
                'This merchant number is already registered',
              ),
            ],
            '',
          ),
        );
        continue;
      }
      await tx.query('SAVEPOINT import_record');
      try {
        const merchantRow = await writeMerchant(ctx, tx, record.merchant, {
          actor,
          at,
          pathPrefix: 'merchant',
        });
        for (const [position, terminal] of record.terminals.entries()) {
          await writeTerminal(tx, terminal, { actor, at, pathPrefix: `terminals.${position}` });
        }
        if (record.account) {
          await writeAccount(ctx, tx, record.account, merchantRow, { actor, at });
          if (record.account.nameCheck.result === 'no_match') {
            nameMismatches.push(record.merchant.merchantNo);
          }
        }
        await tx.query('RELEASE SAVEPOINT import_record');
        imported += 1;
        changed({
          merchants: [record.merchant.merchantNo],
          terminals: record.terminals.map((t) => t.terminalId),
        });
      } catch (error) {
        await tx.query('ROLLBACK TO SAVEPOINT import_record');
        if (!(error instanceof DomainError)) throw error;
        failed.push(failure(record.index, error.issues, error.message, error.code));
      }
    }
  });
  failed.sort((a, b) => a.index - b.index);
  return { imported, failed, nameMismatches };
}
