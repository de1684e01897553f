/**
 * Bank return reasons (退票原因) arrive as free text, in Chinese or English, worded differently
 * by every bank. They are normalised to a few stable codes; the original text is always kept
 * next to the code. Pure.
 */

export const RETURN_CODES = [
  'account_closed',
  'account_frozen',
  'name_mismatch',
  'invalid_account',
  'bank_rejected',
  'other',
] as const;
export type ReturnCode = (typeof RETURN_CODES)[number];

/**
 * Checked in this order: the first family with a matching phrase wins. Frozen and closed come
 * before the generic phrases because banks write "账户已冻结，交易被拒绝"; name before number
 * because "户名与账号不符" is a name problem. A dormant account (久悬, 睡眠户) cannot receive
 * until it is reactivated: it counts as frozen.
 */
const PATTERNS: readonly (readonly [ReturnCode, readonly string[]])[] = [
  [
    'account_frozen',
    ['冻结', '止付', '久悬', '睡眠', '不动户', 'frozen', 'freeze', 'dormant', 'blocked'],
  ],
  [
    'account_closed',
    [
      '销户',
      '已注销',
      '账户注销',
      '卡已注销',
      '账户已关闭',
      '已关户',
      'closed',
      'cancelled account',
      'terminated',
    ],
  ],
  [
    'name_mismatch',
    [
      '户名不符',
      '户名与账号不符',
      '户名与账户不符',
      '账户名称与',
      '收款人名称',
      '户名错误',
      '户名不一致',
      '名称不符',
      '名称不一致',
      '户名有误',
      '姓名不符',
      'namemismatch',
      'namedoesnotmatch',
      'namenotmatch',
      'wrongname',
      'payeename',
      'beneficiaryname',
    ],
  ],
  [
    'invalid_account',
    [
      '账号不存在',
      '无此账户',
      '无此账号',
      '无此卡号',
      '账户不存在',
      '账号错误',
      '账号有误',
      '无效账号',
      '无效账户',
      '卡号错误',
      '无效卡号',
      '账号格式',
      'invalidaccount',
      'nosuchaccount',
      'accountnotfound',
      'accountdoesnotexist',
      'unknownaccount',
      'invalidcard',
      'wrongaccount',
    ],
  ],
  [
    'bank_rejected',
    [
      '拒绝',
      '拒付',
      '受限',
      '超限',
      '超过限额',
      '限额',
      '风控',
      '不允许',
      'rejected',
      'reject',
      'declined',
      'refused',
      'limit',
      'restricted',
      'notpermitted',
    ],
  ],
];

/** Full-width to half-width, lower case, no spaces or punctuation: "Account  Frozen." → "accountfrozen". */
function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}]+/gu, '');
}

export function normaliseReturnReason(text: string | null | undefined): ReturnCode {
  if (!text) return 'other';
  const plain = normalise(text);
  for (const [code, phrases] of PATTERNS) {
    if (phrases.some((phrase) => plain.includes(normalise(phrase)))) return code;
  }
  return 'other';
}

/** The account status a return moves the account to. */
export function accountStatusAfterReturn(code: ReturnCode): 'frozen' | 'errored' {
  return code === 'account_frozen' ? 'frozen' : 'errored';
}

/**
 * Banks sometimes quote the account in their reason ("账号6222020200001234562不存在"). A run of
 * ten or more digits (spaces and hyphens inside allowed) is masked before the text is stored,
 * shown or audited: the first six and last four digits stay, as everywhere else.
 */
export function redactAccountNumbers(text: string): string {
  return text.replace(/\d(?:[\d -]{8,}\d)/g, (run) => {
    const digits = run.replace(/[ -]/g, '');
    if (digits.length < 10) return run;
    return `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
  });
}
