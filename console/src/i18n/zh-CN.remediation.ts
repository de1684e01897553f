/**
 * Simplified Chinese strings of the remediation screens (issue 6), kept in their own module so the
 * main dictionary stays readable; spread into `zhCN` in zh-CN.ts.
 */
export const zhCNRemediation = {
  'remediation.placeholder': '',
} as const;
