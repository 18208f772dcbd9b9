import { normalizeEmail, parseEmail } from './email-address.js';

describe('parseEmail', () => {
  it('trims and case-folds', () => {
    expect(parseEmail('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
  });

  it.each([
    '',
    'plainaddress',
    '@example.com',
    'ada@',
    'ada@@example.com',
    'ada example@x.com',
    `${'a'.repeat(250)}@x.io`,
  ])('refuses %j', (raw) => {
    expect(parseEmail(raw)).toBeUndefined();
  });

  it('normalises without validating', () => {
    expect(normalizeEmail(' X@Y ')).toBe('x@y');
  });
});
