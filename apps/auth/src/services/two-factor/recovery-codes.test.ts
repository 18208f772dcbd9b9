import { hashRecoveryCode, newRecoveryCodes, normalizeRecoveryCode } from './recovery-codes.js';

describe('recovery codes', () => {
  it('hands out 10 distinct codes shaped xxxxx-xxxxx from an unambiguous alphabet', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[2-9a-hjkmnp-z]{5}-[2-9a-hjkmnp-z]{5}$/);
  });

  it('forgives case, spaces and dashes when read back, and refuses anything else', () => {
    expect(normalizeRecoveryCode(' ABCDE-fghjk ')).toBe('abcdefghjk');
    expect(normalizeRecoveryCode('abcde fghjk')).toBe('abcdefghjk');
    for (const junk of ['', 'abcde-fghj', 'abcde-fghjkm', 'abcde-fghj1', 'abcde-fghjo', "abcde'; --"])
      expect(normalizeRecoveryCode(junk)).toBeNull();
  });

  it('hashes per user, so the same code of two users does not share a hash', () => {
    const [code = ''] = newRecoveryCodes(1);
    expect(hashRecoveryCode('user-a', code)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode('user-a', code)).toBe(hashRecoveryCode('user-a', code.toUpperCase()));
    expect(hashRecoveryCode('user-a', code)).not.toBe(hashRecoveryCode('user-b', code));
  });
});
