import { randomBytes } from 'node:crypto';
import speakeasy from 'speakeasy';
import { base32Encode, newTotpSecret, otpauthUrl, timeStep, totpCode, verifyTotp } from './totp.js';

// RFC 6238 Appendix B: SHA-1, the ASCII seed "12345678901234567890", 8 digits, 30-second steps.
const RFC_SEED = Buffer.from('12345678901234567890', 'ascii');
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('the speakeasy wrapper', () => {
  it('encodes the RFC seed as the base32 every authenticator app would', () => {
    expect(base32Encode(RFC_SEED)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Encode(Buffer.from('f'))).toBe('MY');
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
  });

  it.each(RFC_VECTORS)('matches RFC 6238 Appendix B at T=%d', (time, expected) => {
    expect(totpCode(base32Encode(RFC_SEED), time, 8)).toBe(expected);
  });

  it('accepts the code of the current step and one either side, and no further', () => {
    const secret = newTotpSecret();
    const now = 1_700_000_015;
    const step = timeStep(now);
    for (const offset of [-1, 0, 1]) {
      expect(verifyTotp(secret, totpCode(secret, now + offset * 30), now)).toBe(step + offset);
    }
    for (const offset of [-3, -2, 2, 3]) {
      const code = totpCode(secret, now + offset * 30);
      // A far code may collide with a near one by chance (1 in 10^6 per step); only then may it pass.
      const near = [-1, 0, 1].some((o) => totpCode(secret, now + o * 30) === code);
      if (!near) expect(verifyTotp(secret, code, now)).toBeNull();
    }
  });

  it('refuses a code with a leading space, which speakeasy itself accepts', () => {
    const secret = base32Encode(RFC_SEED);
    // A time whose code starts with 0, so " " plus its last five digits parses to the same number.
    let time = 1_700_000_000;
    while (!totpCode(secret, time).startsWith('0')) time += 30;
    const padded = ` ${totpCode(secret, time).slice(1)}`;
    expect(speakeasy.totp.verify({ secret, encoding: 'base32', token: padded, time })).toBe(true);
    expect(verifyTotp(secret, padded, time)).toBeNull();
    expect(verifyTotp(secret, totpCode(secret, time), time)).toBe(timeStep(time));
    for (const junk of ['', '12345', '1234567', '12 456', '12345a', '+12345', '１２３４５６', '1e5000'])
      expect(verifyTotp(secret, junk, time)).toBeNull();
  });

  it('refuses an empty or non-base32 secret, which speakeasy itself accepts', () => {
    const now = 1_700_000_000;
    const emptyCode = speakeasy.totp({ secret: '', encoding: 'base32', time: now });
    expect(speakeasy.totp.verify({ secret: '', encoding: 'base32', token: emptyCode, time: now })).toBe(true);
    expect(verifyTotp('', emptyCode, now)).toBeNull();
    expect(() => totpCode('', now)).toThrow();
    expect(verifyTotp('not base32!', '123456', now)).toBeNull();
  });

  it('reads the secret as base32, not as ASCII (speakeasy’s default)', () => {
    const secret = base32Encode(RFC_SEED);
    const asAscii = speakeasy.totp({ secret, time: 59, digits: 8 });
    expect(asAscii).not.toBe('94287082');
    expect(totpCode(secret, 59, 8)).toBe('94287082');
  });

  it('draws secrets from node:crypto (20 bytes), not from speakeasy’s biased generator', () => {
    const bytes = Buffer.from('00112233445566778899aabbccddeeff01234567', 'hex');
    const random = jest.fn((size: number) => (size === 20 ? bytes : randomBytes(size)));
    expect(newTotpSecret(random)).toBe(base32Encode(bytes));
    expect(random).toHaveBeenCalledWith(20);
  });

  it('makes secrets of 32 base32 characters, never the same twice', () => {
    const secrets = Array.from({ length: 50 }, () => newTotpSecret());
    for (const secret of secrets) expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  it('builds an otpauth URI with the issuer and the account', () => {
    const url = otpauthUrl('GEZDGNBVGY3TQOJQ', 'My Platform', 'ana+2fa@example.com');
    expect(url).toBe(
      'otpauth://totp/My%20Platform:ana%2B2fa%40example.com?secret=GEZDGNBVGY3TQOJQ&issuer=My%20Platform' +
        '&algorithm=SHA1&digits=6&period=30',
    );
  });
});
