/** What a person may choose; `system` follows the operating system's light or dark setting. */
export const THEMES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEMES)[number];

/** Where the choice is kept (public/boot.js reads the same key before the first paint). */
export const THEME_KEY = 'platform.theme';

export function isThemeChoice(value: unknown): value is ThemeChoice {
  return typeof value === 'string' && (THEMES as readonly string[]).includes(value);
}

/** A stored value as a choice: anything unknown (or nothing) is `system`. */
export function themeChoiceOf(stored: string | null): ThemeChoice {
  return isThemeChoice(stored) ? stored : 'system';
}

/** The theme the page shows for a choice, given whether the system prefers dark. */
export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): 'light' | 'dark' {
  if (choice === 'system') return systemPrefersDark ? 'dark' : 'light';
  return choice;
}

/**
 * Puts a choice on the document as boot.js does: `data-theme` for an explicit one, none for `system`,
 * where the stylesheet's `color-scheme: light dark` lets the system decide.
 */
export function applyTheme(root: HTMLElement, choice: ThemeChoice): void {
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}
