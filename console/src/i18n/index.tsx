import { ConfigProvider } from 'antd';
import type { ConfigProviderProps } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCNLocale from 'antd/locale/zh_CN';
import { createContext, use, useCallback, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { LocalizedText } from '../api/types';
import { en } from './en';
import { zhCN } from './zh-CN';
import type { MessageKey, Messages } from './zh-CN';
import { useReducedMotion } from './reduced-motion';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'settleguard.language';

const MESSAGES: Record<Language, Messages> = { 'zh-CN': zhCN, en };
type AntdLocale = NonNullable<ConfigProviderProps['locale']>;
const ANTD_LOCALES: Record<Language, AntdLocale> = { 'zh-CN': zhCNLocale, en: enUS };

/** Prefixes under which server codes are translated (`error.not_found`, `reason.exact`…). */
export type CodePrefix =
  | 'error'
  | 'reason'
  | 'role'
  | 'merchantType'
  | 'merchantStatus'
  | 'accountType'
  | 'accountStatus'
  | 'terminalStatus'
  | 'nameCheck'
  | 'comparedWith'
  | 'rule'
  | 'ruleDescription'
  | 'alertSeverity'
  | 'incidentSeverity'
  | 'incidentStatus'
  | 'decision'
  | 'transactionType'
  | 'transactionStatus'
  | 'actor'
  | 'lineStatus'
  | 'holdReason'
  | 'returnCode'
  | 'cycle'
  | 'journalKind'
  | 'ledgerAccount'
  | 'resultOutcome'
  | 'resultProblem'
  | 'ledgerProblem';

export type Params = Record<string, string | number>;

export interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  /** The message for `key` in the current language, with `{name}` placeholders filled in. */
  t: (key: MessageKey, params?: Params) => string;
  /** The translation of a server code, or undefined when the console does not know the code. */
  tCode: (prefix: CodePrefix, code: string) => string | undefined;
  /** A date and time from the API (RFC 3339, UTC) in the user's time zone and language. */
  formatDateTime: (iso: string) => string;
  /** A text the server wrote in both languages, in the current one (Chinese when English is missing). */
  localize: (text: LocalizedText) => string;
}

const I18nContext = createContext<I18n | null>(null);

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function readStoredLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage can be disabled (private mode, policy); the default language is then used.
  }
  return 'zh-CN';
}

function fill(template: string, params: Params | undefined): string {
  if (params === undefined) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

const DATE_TIME_PARTS = new Intl.DateTimeFormat('en-CA', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * `2026-01-05 10:00` in the browser's time zone, in both languages: the back office reads dates
 * this way, and it cannot be mistaken for a month-first American date.
 */
function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = DATE_TIME_PARTS.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((item) => item.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(readStoredLanguage);

  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered across visits when storage is unavailable; the switch still applies.
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = language;
    const messages = MESSAGES[language];
    document.title = `${messages['app.name']} ${messages['app.nameLatin']}`;
  }, [language]);

  const reducedMotion = useReducedMotion();

  const value = useMemo<I18n>(() => {
    const messages = MESSAGES[language];
    return {
      language,
      setLanguage,
      t: (key, params) => fill(messages[key], params),
      tCode: (prefix, code) => {
        const key = `${prefix}.${code}`;
        return key in messages ? messages[key as MessageKey] : undefined;
      },
      formatDateTime,
      localize: (text) => (language === 'en' && text.en !== '' ? text.en : text.zh),
    };
  }, [language, setLanguage]);

  return (
    <I18nContext value={value}>
      {/* No space inserted into two-character Chinese buttons: "登录" stays "登录". No motion
          for a person whose system asks for less of it. */}
      <ConfigProvider
        locale={ANTD_LOCALES[language]}
        button={{ autoInsertSpace: false }}
        theme={{ token: { motion: !reducedMotion } }}
      >
        {children}
      </ConfigProvider>
    </I18nContext>
  );
}

export function useT(): I18n {
  const value = use(I18nContext);
  if (value === null) throw new Error('useT() is used outside <I18nProvider>');
  return value;
}
