/**
 * Display preferences (theme, language) in localStorage: they are not secrets, and the boot script
 * needs them before the app loads. Tokens never go here. A browser that refuses storage (private
 * modes, policies) just forgets the choice.
 */
export function readPreference(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writePreference(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Not kept: the choice still holds for this page.
  }
}
