import { passwordWeakness } from './password-policy.js';

describe('passwordWeakness', () => {
  it('accepts a long, unpredictable passphrase', () => {
    expect(passwordWeakness('correct-horse-battery-staple-91!')).toBeUndefined();
  });

  it('refuses fewer than 12 characters and says how many it has', () => {
    expect(passwordWeakness('Tr0ub4dor&3')).toMatch(/at least 12 characters \(this one has 11\)/);
  });

  it('refuses more than 128 characters', () => {
    expect(passwordWeakness('a1!'.repeat(43))).toMatch(/at most 128/);
  });

  it('refuses a long but common password with a reason', () => {
    expect(passwordWeakness('password1234')).toMatch(/too easy to guess\. \S+/);
  });

  it("refuses a password built from the account's own email", () => {
    expect(passwordWeakness('quillwort.brannigan', [])).toBeUndefined();
    expect(passwordWeakness('quillwort.brannigan', ['quillwort.brannigan@example.com'])).toMatch(/personal/);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordWeakness('🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑')).toMatch(/this one has 11/);
  });
});
