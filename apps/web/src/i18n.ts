import { createI18n } from 'vue-i18n';
import enReference from './i18n/en.reference.json';
import enUi from './i18n/en.ui.json';
import zhReference from './i18n/zh-CN.reference.json';
import zhUi from './i18n/zh-CN.ui.json';
import type { Locale } from './logic/format';
import type { Translate } from './logic/problems';

/** zh-CN first, English beside it; every string of the console lives in these message files. */
export const messages = {
  'zh-CN': { ...zhUi, ...zhReference },
  en: { ...enUi, ...enReference },
};

const LOCALE_KEY = 'wasteflow.locale';

function initialLocale(): Locale {
  const saved = localStorage.getItem(LOCALE_KEY);
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages,
  missingWarn: false,
  fallbackWarn: false,
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(LOCALE_KEY, locale);
  document.documentElement.lang = locale;
}

export function currentLocale(): Locale {
  return i18n.global.locale.value as Locale;
}

/** vue-i18n's t, answering undefined for a key the messages lack (for the problem mapping). */
export const translate: Translate = (key, values) =>
  i18n.global.te(key) ? i18n.global.t(key, values ?? {}) : undefined;
