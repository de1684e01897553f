import type { zhCNRemediation } from './zh-CN.remediation';

/** English strings of the remediation screens; the keys are those of `zh-CN.remediation.ts`. */
export const enRemediation: Record<keyof typeof zhCNRemediation, string> = {
  'remediation.placeholder': '',
};
