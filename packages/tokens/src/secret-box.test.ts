import { randomBytes } from 'node:crypto';
import { insecureDevKeyring, parseKeyring, SecretBox } from './secret-box.js';

const key = () => randomBytes(32).toString('base64');
const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const USER = '6f1c2a4e-0000-4000-8000-000000000001';

/** Replaces one `:`-separated part of a sealed value. */
function withPart(sealed: string, index: number, change: (part: string) => string): string {
  return sealed
    .split(':')
    .map((part, i) => (i === index ? change(part) : part))
    .join(':');
}

/** Flips the first bit of a base64url part. */
const flip = (part: string) => {
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  return bytes.toString('base64url');
};

describe('SecretBox', () => {
  it('round-trips a secret as v1:kid:iv:tag:ciphertext, with a fresh IV each time', () => {
    const box = new SecretBox(parseKeyring(`k1:${key()}`));
    const a = box.seal(SECRET, USER);
    const b = box.seal(SECRET, USER);
    expect(a).toMatch(/^v1:k1:[\w-]{16}:[\w-]{22}:[\w-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(SECRET);
    expect(box.open(a, USER)).toBe(SECRET);
    expect(box.open(b, USER)).toBe(SECRET);
  });

  it('refuses to open with a different key under the same kid', () => {
    const sealed = new SecretBox(parseKeyring(`k1:${key()}`)).seal(SECRET, USER);
    expect(() => new SecretBox(parseKeyring(`k1:${key()}`)).open(sealed, USER)).toThrow();
  });

  it('refuses a value sealed under a kid it does not have', () => {
    const sealed = new SecretBox(parseKeyring(`old:${key()}`)).seal(SECRET, USER);
    expect(() => new SecretBox(parseKeyring(`new:${key()}`)).open(sealed, USER)).toThrow(
      /no key with kid old/,
    );
  });

  it('refuses a tampered tag, ciphertext or IV, and a truncated tag', () => {
    const box = new SecretBox(parseKeyring(`k1:${key()}`));
    const sealed = box.seal(SECRET, USER);
    for (const index of [2, 3, 4]) expect(() => box.open(withPart(sealed, index, flip), USER)).toThrow();
    const truncated = withPart(sealed, 3, (tag) =>
      Buffer.from(tag, 'base64url').subarray(0, 4).toString('base64url'),
    );
    expect(() => box.open(truncated, USER)).toThrow();
    expect(() => box.open('v1:k1:junk', USER)).toThrow(/malformed/);
  });

  it('binds the value to its owner: it does not open for another user id', () => {
    const box = new SecretBox(parseKeyring(`k1:${key()}`));
    expect(() => box.open(box.seal(SECRET, USER), 'someone-else')).toThrow();
  });

  it('rotates: the first key seals, an older key still opens what it sealed', () => {
    const oldKey = key();
    const before = new SecretBox(parseKeyring(`2025:${oldKey}`));
    const sealedBefore = before.seal(SECRET, USER);
    const after = new SecretBox(parseKeyring(`2026:${key()}, 2025:${oldKey}`));
    expect(after.open(sealedBefore, USER)).toBe(SECRET);
    const sealedAfter = after.seal(SECRET, USER);
    expect(sealedAfter.split(':')[1]).toBe('2026');
    expect(() => before.open(sealedAfter, USER)).toThrow();
  });
});

describe('parseKeyring', () => {
  it('names every problem: bad kid, wrong key size, duplicate kid', () => {
    const short = randomBytes(16).toString('base64');
    const good = key();
    expect(() => parseKeyring(`a:${good},b:${short},:${good},a:${good}`)).toThrow(
      /entry 2 \(b\): key must be 32 bytes.*entry 3: expected kid.*entry 4: kid a appears twice/,
    );
    expect(() => parseKeyring('')).toThrow();
    expect(parseKeyring(`a:${good},b:${key()}`).map((k) => k.kid)).toEqual(['a', 'b']);
  });

  it('has a dev fallback per purpose whose kid says it is insecure', () => {
    const [totp] = insecureDevKeyring('totp');
    const [email] = insecureDevKeyring('email');
    expect(totp?.kid).toBe('dev-insecure');
    expect(totp?.key).toHaveLength(32);
    expect(email?.key.equals(totp?.key ?? Buffer.alloc(0))).toBe(false);
  });
});
