import { describe, expect, it } from 'vitest';
import { ar } from './ar.js';
import { en } from './en.js';
import { directionOf, pickLanguage } from './language.js';

/** Every key path of a nested message object, with its value. */
function entries(messages: object, prefix = ''): [string, unknown][] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? entries(value, `${prefix}${key}.`)
      : [[`${prefix}${key}`, value]],
  );
}

describe('languages', () => {
  it('writes Arabic right to left and English left to right', () => {
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('ar-EG')).toBe('rtl');
    expect(directionOf('en')).toBe('ltr');
  });

  it('starts in the stored language, else the browser’s first one the app speaks, else English', () => {
    expect(pickLanguage('ar', ['en-GB'])).toBe('ar');
    expect(pickLanguage(null, ['fr-FR', 'ar-SA', 'en'])).toBe('ar');
    expect(pickLanguage('klingon', ['de'])).toBe('en');
  });

  it('has an Arabic text for every English one, with the same placeholders', () => {
    const arabic = new Map(entries(ar));
    for (const [key, english] of entries(en)) {
      const translated = arabic.get(key);
      expect({ key, ok: typeof translated === 'string' && translated !== '' }).toEqual({ key, ok: true });
      const placeholders = (text: unknown) =>
        String(text)
          .match(/\{\{\w+\}\}/g)
          ?.sort() ?? [];
      expect({ key, placeholders: placeholders(translated) }).toEqual({
        key,
        placeholders: placeholders(english),
      });
    }
  });
});
