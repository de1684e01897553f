import type { I18n } from '../../i18n';
import { zhCN } from '../../i18n/zh-CN';
import type { MessageKey } from '../../i18n/zh-CN';

/**
 * The correction screens' words for a server code: `correction.<group>.<code>` when the console
 * knows it, else undefined (the screen then shows the code as it came). Codes of documents and
 * account changes live under `correction.` so that their strings stay in their own module.
 */
export function correctionKey(group: string, code: string): MessageKey | undefined {
  const key = `correction.${group}.${code}`;
  return key in zhCN ? (key as MessageKey) : undefined;
}

/** The words for a code of `group`, or the code itself. */
export function correctionText(i18n: Pick<I18n, 't'>, group: string, code: string): string {
  const key = correctionKey(group, code);
  return key === undefined ? code : i18n.t(key);
}
