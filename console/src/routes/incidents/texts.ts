import { zhCN } from '../../i18n/zh-CN';
import type { MessageKey } from '../../i18n/zh-CN';

/**
 * The message key for a code the server may send beyond what the console knows (a timeline
 * kind, a notification type…), or undefined: the screen then shows the code as it came.
 */
export function knownKey(key: string): MessageKey | undefined {
  return key in zhCN ? (key as MessageKey) : undefined;
}
