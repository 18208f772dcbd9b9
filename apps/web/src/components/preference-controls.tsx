import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { chooseLanguage } from '../i18n/i18n.js';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES } from '../i18n/language.js';
import { readPreference, writePreference } from '../prefs/stored.js';
import { applyTheme, isThemeChoice, THEME_KEY, themeChoiceOf, THEMES } from '../prefs/theme.js';

/** The theme (system, light, dark) and language pickers, on every page; both are remembered. */
export function PreferenceControls() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [theme, setTheme] = useState(() => themeChoiceOf(readPreference(THEME_KEY)));
  const labels = { system: t('prefs.themeSystem'), light: t('prefs.themeLight'), dark: t('prefs.themeDark') };
  return (
    <div className="prefs">
      <label htmlFor={`${id}-theme`}>{t('prefs.theme')}</label>
      <select
        id={`${id}-theme`}
        value={theme}
        onChange={(event) => {
          const choice = event.target.value;
          if (!isThemeChoice(choice)) return;
          setTheme(choice);
          writePreference(THEME_KEY, choice);
          applyTheme(document.documentElement, choice);
        }}
      >
        {THEMES.map((choice) => (
          <option key={choice} value={choice}>
            {labels[choice]}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-language`}>{t('prefs.language')}</label>
      <select
        id={`${id}-language`}
        value={i18n.language}
        onChange={(event) => {
          const language = event.target.value;
          if (isLanguage(language)) void chooseLanguage(language);
        }}
      >
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {LANGUAGE_NAMES[language]}
          </option>
        ))}
      </select>
    </div>
  );
}
