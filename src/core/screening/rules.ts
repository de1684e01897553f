/**
 * The screening rules, pure: each looks at one transaction and the registry as the index shows
 * it, and says whether it fires and on what data. The explanation names that data, in Chinese
 * and English, so that a person sees why without opening anything else.
 */
import { matchNames, normaliseName } from '../name-match/index.js';
import type { Decision, TransactionStatus, TransactionType } from '../transaction.js';
import { RULE_SEVERITY, type Rule, type ScreeningPolicy, type Severity } from './policy.js';
import type {
  IndexedMerchant,
  IndexedTerminal,
  RegistryView,
  VolumeView,
} from './registry-view.js';
import { isBelow } from './versions.js';

export interface ScreenInput {
  transactionId: string;
  terminalId: string;
  merchantNo: string;
  type: TransactionType;
  status: TransactionStatus;
  amountFen: number;
  occurredAtMs: number;
  merchantNameOnReceipt: string | null;
}

export interface RuleHit {
  rule: Rule;
  severity: Severity;
  decision: Decision;
  /** The merchant the alert, the hold and the incident belong to (where the money would go). */
  merchantNo: string;
  terminalId: string;
  /** Other merchants the alert concerns (the terminal's registered merchant, sharers). */
  relatedMerchantNos: string[];
  explanation: { zh: string; en: string };
  data: Record<string, unknown>;
}

interface RuleContext {
  tx: ScreenInput;
  terminal: IndexedTerminal | undefined;
  merchant: IndexedMerchant | undefined;
  view: RegistryView;
  volume: VolumeView;
  policy: ScreeningPolicy;
}

type Finding = Pick<RuleHit, 'explanation' | 'data'> & { relatedMerchantNos?: string[] };
type RuleCheck = (c: RuleContext) => Finding | null;

/** Shortest receipt name that may stand for a registered name it is part of (receipts truncate). */
const RECEIPT_NAME_PART_MIN = 4;
const DAY_MS = 86_400_000;

function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

const CHECKS: Record<Rule, RuleCheck> = {
  unknown_terminal: ({ tx, terminal }) =>
    terminal
      ? null
      : {
          explanation: {
            zh: `终端 ${tx.terminalId} 未在登记系统中`,
            en: `Terminal ${tx.terminalId} is not in the registry`,
          },
          data: { terminalId: tx.terminalId },
        },

  unknown_merchant: ({ tx, merchant }) =>
    merchant
      ? null
      : {
          explanation: {
            zh: `商户号 ${tx.merchantNo} 未在登记系统中`,
            en: `Merchant number ${tx.merchantNo} is not in the registry`,
          },
          data: { merchantNo: tx.merchantNo },
        },

  terminal_merchant_mismatch: ({ tx, terminal }) =>
    !terminal || terminal.merchantNo === tx.merchantNo
      ? null
      : {
          explanation: {
            zh: `终端 ${tx.terminalId} 登记绑定商户 ${terminal.merchantNo}，但交易使用商户号 ${tx.merchantNo}，资金将结算给后者`,
            en: `Terminal ${tx.terminalId} is bound to merchant ${terminal.merchantNo}, but the transaction carries merchant number ${tx.merchantNo}, which the money would settle to`,
          },
          data: {
            terminalId: tx.terminalId,
            boundMerchantNo: terminal.merchantNo,
            transactionMerchantNo: tx.merchantNo,
          },
          relatedMerchantNos: [terminal.merchantNo],
        },

  suspended_terminal_activity: ({ tx, terminal }) =>
    !terminal || terminal.status === 'active'
      ? null
      : {
          explanation: {
            zh: `终端 ${tx.terminalId} 已${terminal.status === 'suspended' ? '暂停' : '停用'}，仍发生交易 ${tx.transactionId}`,
            en: `Terminal ${tx.terminalId} is ${terminal.status} but still transacted (${tx.transactionId})`,
          },
          data: { terminalId: tx.terminalId, terminalStatus: terminal.status },
        },

  receipt_name_mismatch: ({ tx, merchant }) => {
    if (!merchant || !tx.merchantNameOnReceipt) return null;
    if (receiptNameFits(tx.merchantNameOnReceipt, merchant.name)) return null;
    return {
      explanation: {
        zh: `签购单商户名“${tx.merchantNameOnReceipt}”与登记名称“${merchant.name}”不符`,
        en: `The receipt shows "${tx.merchantNameOnReceipt}", not the registered name "${merchant.name}"`,
      },
      data: { receiptName: tx.merchantNameOnReceipt, registeredName: merchant.name },
    };
  },

  account_not_active: ({ merchant }) => {
    if (!merchant || merchant.account?.status === 'active') return null;
    const status = merchant.account?.status ?? 'none';
    return {
      explanation: {
        zh: `商户 ${merchant.merchantNo} 没有已激活且已验证的结算账户（当前：${statusZh(status)}）`,
        en: `Merchant ${merchant.merchantNo} has no active, verified settlement account (now: ${status.replace('_', ' ')})`,
      },
      data: { accountStatus: status, accountId: merchant.account?.accountId ?? null },
    };
  },

  account_name_mismatch: ({ merchant }) => {
    const account = merchant?.account;
    if (!merchant || !account || account.nameCheckResult !== 'no_match') return null;
    return {
      explanation: {
        zh: `结算账户 ${account.accountNumberMasked} 户名“${account.accountName}”与商户“${merchant.name}”不一致`,
        en: `Settlement account ${account.accountNumberMasked} is held by "${account.accountName}", which does not match merchant "${merchant.name}"`,
      },
      data: {
        accountId: account.accountId,
        accountName: account.accountName,
        merchantName: merchant.name,
      },
    };
  },

  shared_account: ({ merchant, view }) => {
    const account = merchant?.account;
    if (!merchant || !account) return null;
    const sharers = view.unrelatedSharers(merchant);
    if (sharers.length === 0) return null;
    return {
      explanation: {
        zh: `结算账户 ${account.accountNumberMasked} 同时为 ${sharers.length} 个无共同法定代表人的其他商户结算：${sharers.slice(0, 5).join('、')}`,
        en: `Settlement account ${account.accountNumberMasked} also settles for ${sharers.length} other merchant(s) with no common legal person: ${sharers.slice(0, 5).join(', ')}`,
      },
      data: { accountId: account.accountId, otherMerchantNos: sharers.slice(0, 50) },
      relatedMerchantNos: sharers.slice(0, 50),
    };
  },

  post_change_spike: ({ tx, merchant, volume, policy }) => {
    const account = merchant?.account;
    if (!merchant || !account?.isChange || tx.status !== 'approved' || tx.type !== 'purchase') {
      return null;
    }
    const { windowDays, factor, minimumFen } = policy.postChangeSpike;
    const sinceChangeMs = tx.occurredAtMs - account.validFromMs;
    if (sinceChangeMs < 0 || sinceChangeMs > windowDays * DAY_MS) return null;
    const last24h = volume.last24hFen(merchant.merchantNo);
    const baseline = volume.baselineDailyFen(merchant.merchantNo);
    const threshold = Math.max(baseline * factor, minimumFen);
    if (last24h <= threshold) return null;
    const days = Math.max(1, Math.ceil(sinceChangeMs / DAY_MS));
    return {
      explanation: {
        zh: `结算账户变更后第 ${days} 天，24 小时交易额 ¥${yuan(last24h)}，超过变更前日均 ¥${yuan(baseline)} 的 ${factor} 倍`,
        en: `Day ${days} after the settlement account change: ¥${yuan(last24h)} in 24 hours, over ${factor}× the usual ¥${yuan(baseline)} a day before the change`,
      },
      data: { last24hFen: last24h, baselineDailyFen: baseline, daysSinceChange: days },
    };
  },

  firmware_outdated: ({ terminal, policy }) => {
    if (!terminal) return null;
    const minimum = policy.minimumFirmware[terminal.model];
    if (!minimum || !isBelow(terminal.firmwareVersion, minimum)) return null;
    return {
      explanation: {
        zh: `终端 ${terminal.terminalId}（${terminal.model}）固件版本 ${terminal.firmwareVersion} 低于要求的 ${minimum}`,
        en: `Terminal ${terminal.terminalId} (${terminal.model}) runs ${terminal.firmwareVersion}, below the required ${minimum}`,
      },
      data: { model: terminal.model, firmwareVersion: terminal.firmwareVersion, minimum },
    };
  },
};

function statusZh(status: string): string {
  return (
    (
      {
        none: '无',
        pending_verification: '待验证',
        errored: '异常',
        frozen: '冻结',
        superseded: '已替换',
      } as Record<string, string>
    )[status] ?? status
  );
}

/**
 * A receipt carries at most 40 bytes of name (20 Chinese characters in GBK), often a shortened
 * trade name: it fits when the matcher says match or close match, or when one normalised name
 * contains the other and the shorter has at least four characters.
 */
export function receiptNameFits(receiptName: string, registeredName: string): boolean {
  if (receiptName === registeredName) return true;
  let byReceipt = receiptFitCache.get(registeredName);
  const known = byReceipt?.get(receiptName);
  if (known !== undefined) return known;
  const fits = computeReceiptNameFits(receiptName, registeredName);
  // A switch prints the same few names for each merchant over and over: remember answers,
  // within a bound, keyed without building strings.
  if (!byReceipt) {
    if (receiptFitCache.size >= RECEIPT_FIT_CACHE_MAX) receiptFitCache.clear();
    byReceipt = new Map();
    receiptFitCache.set(registeredName, byReceipt);
  }
  if (byReceipt.size < RECEIPT_NAMES_PER_MERCHANT_MAX) byReceipt.set(receiptName, fits);
  return fits;
}

const RECEIPT_FIT_CACHE_MAX = 500_000;
const RECEIPT_NAMES_PER_MERCHANT_MAX = 64;
const receiptFitCache = new Map<string, Map<string, boolean>>();

/**
 * True when no rule that looks at the terminal alone can fire for it: registered, active,
 * firmware not below its model's minimum. Kept next to the rules it summarises.
 */
export function terminalIsQuiet(terminal: IndexedTerminal, policy: ScreeningPolicy): boolean {
  if (terminal.status !== 'active') return false;
  const minimum = policy.minimumFirmware[terminal.model];
  return !minimum || !isBelow(terminal.firmwareVersion, minimum);
}

/**
 * True when no rule that looks at the merchant alone can fire: its account is active, its
 * holder name not a no-match, the account not shared with an unrelated merchant. (The
 * post-change window depends on the transaction's time and is checked per transaction.)
 */
export function merchantIsQuiet(merchant: IndexedMerchant, unrelatedSharers: number): boolean {
  const account = merchant.account;
  return (
    account !== null &&
    account.status === 'active' &&
    account.nameCheckResult !== 'no_match' &&
    unrelatedSharers === 0
  );
}

function computeReceiptNameFits(receiptName: string, registeredName: string): boolean {
  const receipt = normaliseName(receiptName);
  const registered = normaliseName(registeredName);
  if (receipt.length === 0) return true;
  if (
    Math.min(receipt.length, registered.length) >= RECEIPT_NAME_PART_MIN &&
    (registered.includes(receipt) || receipt.includes(registered))
  ) {
    return true;
  }
  const result = matchNames({
    accountName: receiptName,
    expectedName: registeredName,
    kind: 'organisation',
  });
  // One character apart is a typo in an account holder's name, but on a receipt it is often
  // the owner's surname in a shop name (丁记 / 宋记): another shop. Such close matches do not fit.
  return (
    result.result === 'match' ||
    (result.result === 'close_match' &&
      !result.reasons.some((r) => r === 'minor_difference' || r === 'word_order'))
  );
}

export function runRule(rule: Rule, context: RuleContext): RuleHit | null {
  const finding = CHECKS[rule](context);
  if (!finding) return null;
  return {
    rule,
    severity: RULE_SEVERITY[rule],
    decision: context.policy.decisions[rule],
    merchantNo: context.tx.merchantNo,
    terminalId: context.tx.terminalId,
    relatedMerchantNos: finding.relatedMerchantNos ?? [],
    explanation: finding.explanation,
    data: finding.data,
  };
}

export type { RuleContext };
