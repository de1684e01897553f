/**
 * The checks of a requested account, listed with their results for the person who approves:
 * every check of the registry (the number, the bank behind a card, the account type for the
 * merchant type, the holder's name under the merchant-type rules) and whether another merchant
 * already settles to it. Invalid numbers never get here: they refuse the request. Pure.
 */
export interface AccountCheck {
  code:
    | 'account_number'
    | 'account_type'
    | 'bank'
    | 'holder_name'
    | 'account_reuse'
    | 'same_as_current';
  result: 'pass' | 'warn' | 'fail';
  message: { zh: string; en: string };
}

export interface CheckFacts {
  accountType: 'corporate' | 'personal';
  accountNumberMasked: string;
  /** Warning codes of the registry validation (card_luhn_failed, bin_bank_mismatch). */
  warningCodes: readonly string[];
  /** The bank the card's BIN names (personal accounts), or null when unknown. */
  binBank: string | null;
  bankCode: string | null;
  bankName: string | null;
  nameCheck: {
    result: 'match' | 'close_match' | 'no_match';
    comparedWith: 'merchant_name' | 'legal_person';
  };
  expectedName: string;
  accountName: string;
  otherMerchantsUsingAccount: number;
  sameAsCurrent: boolean;
}

export function accountChecks(f: CheckFacts): AccountCheck[] {
  const checks: AccountCheck[] = [];
  const luhn = f.warningCodes.includes('card_luhn_failed');
  checks.push({
    code: 'account_number',
    result: luhn ? 'warn' : 'pass',
    message: luhn
      ? {
          zh: `卡号 ${f.accountNumberMasked} 未通过 Luhn 校验（部分老卡如此），请核对银行卡照片`,
          en: `Card ${f.accountNumberMasked} fails the Luhn check (some old cards do): compare with the card's photo`,
        }
      : f.accountType === 'personal'
        ? {
            zh: `卡号 ${f.accountNumberMasked} 格式与校验位正确`,
            en: `Card ${f.accountNumberMasked}: format and check digit valid`,
          }
        : {
            zh: `对公账号 ${f.accountNumberMasked} 格式正确`,
            en: `Corporate account ${f.accountNumberMasked}: format valid`,
          },
  });
  checks.push({
    code: 'account_type',
    result: 'pass',
    message:
      f.accountType === 'corporate'
        ? {
            zh: '对公账户符合该商户类型',
            en: 'A corporate account is allowed for this merchant type',
          }
        : {
            zh: '个人账户符合该商户类型',
            en: 'A personal account is allowed for this merchant type',
          },
  });
  if (f.accountType === 'personal') {
    const mismatch = f.warningCodes.includes('bin_bank_mismatch');
    checks.push({
      code: 'bank',
      result: mismatch || !f.binBank ? 'warn' : 'pass',
      message: mismatch
        ? {
            zh: `卡号所属银行（${f.binBank ?? '未知'}）与申报的开户行（${f.bankName ?? f.bankCode ?? ''}）不一致`,
            en: `The card's bank (${f.binBank ?? 'unknown'}) is not the declared bank (${f.bankName ?? f.bankCode ?? ''})`,
          }
        : f.binBank
          ? { zh: `卡号所属银行：${f.binBank}`, en: `The card belongs to ${f.binBank}` }
          : {
              zh: '卡号的发卡行无法识别（BIN 表中无此号段）',
              en: "The card's issuer is not in the BIN table",
            },
    });
  } else {
    checks.push({
      code: 'bank',
      result: f.bankCode ? 'pass' : 'warn',
      message: f.bankCode
        ? {
            zh: `联行号 ${f.bankCode}${f.bankName ? `（${f.bankName}）` : ''}`,
            en: `CNAPS code ${f.bankCode}${f.bankName ? ` (${f.bankName})` : ''}`,
          }
        : {
            zh: '未提供联行号，打款前需补充',
            en: 'No CNAPS bank code given: needed before paying out',
          },
    });
  }
  const whose =
    f.nameCheck.comparedWith === 'merchant_name'
      ? { zh: '商户名称', en: 'the merchant name' }
      : { zh: '法定代表人姓名', en: "the legal person's name" };
  checks.push({
    code: 'holder_name',
    result:
      f.nameCheck.result === 'match'
        ? 'pass'
        : f.nameCheck.result === 'close_match'
          ? 'warn'
          : 'fail',
    message:
      f.nameCheck.result === 'match'
        ? {
            zh: `户名“${f.accountName}”与${whose.zh}一致`,
            en: `Holder "${f.accountName}" matches ${whose.en}`,
          }
        : f.nameCheck.result === 'close_match'
          ? {
              zh: `户名“${f.accountName}”与${whose.zh}“${f.expectedName}”相近但不完全一致`,
              en: `Holder "${f.accountName}" is close to but not the same as ${whose.en} "${f.expectedName}"`,
            }
          : {
              zh: `户名“${f.accountName}”与${whose.zh}“${f.expectedName}”不一致`,
              en: `Holder "${f.accountName}" does not match ${whose.en} "${f.expectedName}"`,
            },
  });
  checks.push({
    code: 'account_reuse',
    result: f.otherMerchantsUsingAccount > 0 ? 'fail' : 'pass',
    message:
      f.otherMerchantsUsingAccount > 0
        ? {
            zh: `该账户已为另外 ${f.otherMerchantsUsingAccount} 个商户结算`,
            en: `This account already settles for ${f.otherMerchantsUsingAccount} other merchant(s)`,
          }
        : { zh: '该账户未被其他商户使用', en: 'No other merchant settles to this account' },
  });
  if (f.sameAsCurrent) {
    checks.push({
      code: 'same_as_current',
      result: 'warn',
      message: {
        zh: '新账户与当前生效的结算账户相同（例如解冻后重新验证）',
        en: 'The new account is the account in force (re-verification after a freeze, for example)',
      },
    });
  }
  return checks;
}
