import type { zhCNCorrection } from './zh-CN.correction';

/** English strings of the correction screens; the keys are those of `zh-CN.correction.ts`. */
export const enCorrection: Record<keyof typeof zhCNCorrection, string> = {
  'correction.placeholder': '',
};
