import { Segmented } from 'antd';
import { LANGUAGES, useT } from '../../i18n';
import type { Language } from '../../i18n';

/** 中文 / English, each label always in its own language so that anyone can find theirs. */
export function LanguageSwitch() {
  const { language, setLanguage, t } = useT();
  return (
    <Segmented<Language>
      aria-label={t('lang.label')}
      size="small"
      value={language}
      onChange={setLanguage}
      options={LANGUAGES.map((value) => ({ value, label: t(`lang.${value}`) }))}
    />
  );
}
