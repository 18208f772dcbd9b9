import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { readPreference, writePreference } from '../prefs/stored.js';
import { ar } from './ar.js';
import { en } from './en.js';
import { directionOf, LANGUAGE_KEY, pickLanguage, type Language } from './language.js';

/** Sets `lang` and `dir` on <html>, as public/boot.js did before the first paint. */
export function applyLanguage(root: HTMLElement, language: string): void {
  root.lang = language;
  root.dir = directionOf(language);
}

/**
 * The one i18next instance: both languages are bundled (a few kilobytes), so switching never waits for
 * the network. React escapes every value, so i18next's own HTML escaping is off.
 */
export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, ar: { translation: ar } },
  lng: pickLanguage(
    readPreference(LANGUAGE_KEY),
    typeof navigator === 'undefined' ? [] : navigator.languages,
  ),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

i18n.on('languageChanged', (language) => {
  if (typeof document !== 'undefined') applyLanguage(document.documentElement, language);
});
if (typeof document !== 'undefined') applyLanguage(document.documentElement, i18n.language);

/** Switches the language of the page and remembers it. */
export async function chooseLanguage(language: Language): Promise<void> {
  writePreference(LANGUAGE_KEY, language);
  await i18n.changeLanguage(language);
}
