/**
 * Drill scenarios: what a drill incident says, built from facts of a real merchant of the
 * registry so that it reads like the real thing. Every text is marked 【演练】/[DRILL], and the
 * containment a real incident would get is written as what WOULD have been done: a drill
 * touches no terminal, hold or ledger entry (docs/adr/0012-incident-lifecycle.md). Pure.
 */
import type { IncidentSeverity } from './lifecycle.js';

export const DRILL_SCENARIOS = [
  'terminal_merchant_mismatch',
  'shared_account',
  'settlement_returned',
  'account_name_mismatch',
] as const;
export type DrillScenario = (typeof DRILL_SCENARIOS)[number];

export const DRILL_SCENARIO_NAMES: Record<DrillScenario, { zh: string; en: string }> = {
  terminal_merchant_mismatch: { zh: '终端与商户不符', en: 'Terminal used under another merchant' },
  shared_account: {
    zh: '结算账户多商户共用',
    en: 'Settlement account shared by unrelated merchants',
  },
  settlement_returned: { zh: '结算款被银行退票', en: 'Settlement returned by the bank' },
  account_name_mismatch: {
    zh: '结算户名不符',
    en: 'Settlement account holder does not match',
  },
};

export const DRILL_MARK = { zh: '【演练】', en: '[DRILL] ' } as const;

/** The real merchant the drill is run on, and a second one where the scenario needs it. */
export interface DrillFacts {
  merchantNo: string;
  merchantName: string;
  terminalIds: readonly string[];
  accountNumberMasked: string | null;
  accountName: string | null;
  other: { merchantNo: string; name: string; terminalId: string | null } | null;
}

export interface DrillAlert {
  rule: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  terminalId: string | null;
  explanation: { zh: string; en: string; data: Record<string, unknown> };
}

export interface DrillPlan {
  severity: IncidentSeverity;
  title: { zh: string; en: string };
  alerts: DrillAlert[];
  /** What a real incident's containment would have done, said as not done. */
  wouldContain: { zh: string; en: string };
}

/** The made-up amount of the returned payout in the settlement_returned scenario. */
export const DRILL_RETURNED_FEN = 1_234_56;
/** The made-up holder name of the account_name_mismatch scenario. */
export const DRILL_HOLDER_NAME = '李明';

function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

function mark(text: { zh: string; en: string }): { zh: string; en: string } {
  return { zh: `${DRILL_MARK.zh}${text.zh}`, en: `${DRILL_MARK.en}${text.en}` };
}

export function planDrill(scenario: DrillScenario, facts: DrillFacts): DrillPlan {
  const m = `${facts.merchantNo}（${facts.merchantName}）`;
  const mEn = `${facts.merchantNo} (${facts.merchantName})`;
  const account = facts.accountNumberMasked ?? '—';
  const name = DRILL_SCENARIO_NAMES[scenario];
  const title = mark({
    zh: `${name.zh}：商户 ${facts.merchantNo}`,
    en: `${name.en}: merchant ${facts.merchantNo}`,
  });
  const data = { drill: true, scenario };
  const terminals = facts.terminalIds.length > 0 ? facts.terminalIds.join('、') : '—';
  const terminalsEn = facts.terminalIds.length > 0 ? facts.terminalIds.join(', ') : '—';
  const holdAndSuspend = mark({
    zh: `真实事件中将暂停商户 ${facts.merchantNo} 的终端（${terminals}）并暂停其结算；演练中未实际执行`,
    en: `A real incident would suspend the terminals of merchant ${facts.merchantNo} (${terminalsEn}) and hold its settlement; not done in a drill`,
  });
  const holdOnly = mark({
    zh: `真实事件中将暂停商户 ${facts.merchantNo} 的结算并标记账户异常；演练中未实际执行`,
    en: `A real incident would hold the settlement of merchant ${facts.merchantNo} and mark the account; not done in a drill`,
  });
  switch (scenario) {
    case 'terminal_merchant_mismatch': {
      const other = facts.other;
      const terminalId = other?.terminalId ?? null;
      const registered = other ? `${other.merchantNo}（${other.name}）` : '另一商户';
      const registeredEn = other ? `${other.merchantNo} (${other.name})` : 'another merchant';
      return {
        severity: 'P1',
        title,
        alerts: [
          {
            rule: 'terminal_merchant_mismatch',
            severity: 'critical',
            terminalId,
            explanation: {
              ...mark({
                zh: `终端 ${terminalId ?? '—'} 登记在商户 ${registered} 名下，却以商户 ${m} 的名义交易：款项将结算到错误的账户`,
                en: `Terminal ${terminalId ?? '—'} is registered to merchant ${registeredEn} but transacted as merchant ${mEn}: the money would settle to the wrong account`,
              }),
              data: { ...data, boundMerchantNo: other?.merchantNo ?? null },
            },
          },
        ],
        wouldContain: holdAndSuspend,
      };
    }
    case 'shared_account': {
      const other = facts.other;
      const sharer = other ? `${other.merchantNo}（${other.name}）` : '另一无关商户';
      const sharerEn = other ? `${other.merchantNo} (${other.name})` : 'another unrelated merchant';
      return {
        severity: 'P1',
        title,
        alerts: [
          {
            rule: 'shared_account',
            severity: 'critical',
            terminalId: null,
            explanation: {
              ...mark({
                zh: `商户 ${m} 的结算账户 ${account} 同时是无关商户 ${sharer} 的结算账户`,
                en: `The settlement account ${account} of merchant ${mEn} is also the settlement account of unrelated merchant ${sharerEn}`,
              }),
              data: { ...data, relatedMerchantNos: other ? [other.merchantNo] : [] },
            },
          },
        ],
        wouldContain: holdAndSuspend,
      };
    }
    case 'settlement_returned':
      return {
        severity: 'P2',
        title,
        alerts: [
          {
            rule: 'settlement_returned',
            severity: 'high',
            terminalId: null,
            explanation: {
              ...mark({
                zh: `结算款 ¥${yuan(DRILL_RETURNED_FEN)} 被银行从账户 ${account} 退回：账户已冻结`,
                en: `Payout of ¥${yuan(DRILL_RETURNED_FEN)} to account ${account} was returned by the bank: account frozen`,
              }),
              data: { ...data, returnCode: 'account_frozen', amountFen: DRILL_RETURNED_FEN },
            },
          },
        ],
        wouldContain: holdOnly,
      };
    case 'account_name_mismatch':
      return {
        severity: 'P2',
        title,
        alerts: [
          {
            rule: 'account_name_mismatch',
            severity: 'high',
            terminalId: null,
            explanation: {
              ...mark({
                zh: `假设商户 ${m} 的结算账户 ${account} 户名被改为「${DRILL_HOLDER_NAME}」：与商户名称及法定代表人均不符`,
                en: `Suppose the holder of settlement account ${account} of merchant ${mEn} were changed to "${DRILL_HOLDER_NAME}": it matches neither the merchant nor its legal person`,
              }),
              data: { ...data, accountName: DRILL_HOLDER_NAME },
            },
          },
        ],
        wouldContain: holdAndSuspend,
      };
  }
}
