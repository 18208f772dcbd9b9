import { describe, expect, it } from 'vitest';
import { applyTheme, resolveTheme, themeChoiceOf } from './theme.js';

describe('theme resolution', () => {
  it('follows the system for "system" and the choice otherwise', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('reads anything unknown or missing in storage as "system"', () => {
    expect(themeChoiceOf(null)).toBe('system');
    expect(themeChoiceOf('purple')).toBe('system');
    expect(themeChoiceOf('dark')).toBe('dark');
  });

  it('marks the document for an explicit choice and leaves it to the system otherwise', () => {
    const root = document.createElement('html');
    applyTheme(root, 'dark');
    expect(root.dataset.theme).toBe('dark');
    applyTheme(root, 'system');
    expect(root.hasAttribute('data-theme')).toBe(false);
  });
});
