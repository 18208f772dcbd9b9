import { BoundedPool } from './bounded-pool.js';
import { PasswordHasher, type PasswordHashing } from './password-hasher.js';

const ARGON2: PasswordHashing = { algorithm: 'argon2id', memoryKiB: 1024, timeCost: 1, parallelism: 1 };
const BCRYPT: PasswordHashing = { algorithm: 'bcrypt', cost: 4 };
const hasher = (hashing: PasswordHashing) =>
  new PasswordHasher(new BoundedPool({ concurrency: 2, queueLimit: 8 }), hashing);

describe('PasswordHasher', () => {
  it('hashes new passwords with Argon2id at the configured parameters', async () => {
    const hash = await hasher(ARGON2).hash('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
  });

  it('verifies hashes of either algorithm, whichever makes new ones', async () => {
    const fromBcrypt = await hasher(BCRYPT).hash('pässword, long enough');
    const fromArgon2 = await hasher(ARGON2).hash('pässword, long enough');
    for (const current of [hasher(ARGON2), hasher(BCRYPT)]) {
      expect(await current.verify('pässword, long enough', fromBcrypt)).toBe(true);
      expect(await current.verify('pässword, long enough', fromArgon2)).toBe(true);
      expect(await current.verify('password, long enough', fromArgon2)).toBe(false);
      expect(await current.verify('password, long enough', fromBcrypt)).toBe(false);
    }
  });

  it('treats composed and decomposed forms of a character as the same password (NFKC)', async () => {
    const hash = await hasher(ARGON2).hash('caf\u00e9-au-lait-1234');
    expect(await hasher(ARGON2).verify('cafe\u0301-au-lait-1234', hash)).toBe(true);
  });

  it('tells bcrypt passwords past 72 bytes apart (the HMAC pre-hash)', async () => {
    const long = 'x'.repeat(80);
    const hash = await hasher(BCRYPT).hash(`${long}a`);
    expect(await hasher(BCRYPT).verify(`${long}b`, hash)).toBe(false);
  });

  it('never matches without a stored hash, or with one it does not know', async () => {
    expect(await hasher(ARGON2).verify('anything at all here', null)).toBe(false);
    expect(await hasher(ARGON2).verify('anything at all here', 'plain-text')).toBe(false);
  });

  it('upgrades a bcrypt hash, and an Argon2id hash with other parameters, to the configured ones', async () => {
    const current = hasher(ARGON2);
    const legacy = await hasher(BCRYPT).hash('an old password here');
    const weaker = await hasher({ ...ARGON2, memoryKiB: 512 }).hash('an old password here');
    for (const old of [legacy, weaker]) {
      const upgraded = await current.upgrade('an old password here', old);
      expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
      expect(await current.verify('an old password here', upgraded)).toBe(true);
    }
    expect(
      await current.upgrade('an old password here', await current.hash('an old password here')),
    ).toBeNull();
  });

  it('moves Argon2id hashes back to bcrypt, and bcrypt ones to a new cost, when configured so', async () => {
    const argon2Hash = await hasher(ARGON2).hash('going back to bcrypt');
    expect(hasher(BCRYPT).isOutdated(argon2Hash)).toBe(true);
    expect(hasher({ algorithm: 'bcrypt', cost: 5 }).isOutdated(await hasher(BCRYPT).hash('x'))).toBe(true);
    expect(hasher(BCRYPT).isOutdated(await hasher(BCRYPT).hash('x'))).toBe(false);
  });
});
