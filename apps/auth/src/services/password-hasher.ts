import { createHmac } from 'node:crypto';
import argon2 from 'argon2';
import bcrypt from 'bcrypt';
import { AppError } from '@platform/http';
import { PoolOverloadedError, type BoundedPool } from './bounded-pool.js';

/** How new passwords are hashed: Argon2id (the default) or bcrypt, with their work factors. */
export type PasswordHashing =
  | { algorithm: 'argon2id'; memoryKiB: number; timeCost: number; parallelism: number }
  | { algorithm: 'bcrypt'; cost: number };

/**
 * bcrypt reads at most 72 bytes, so a 128-character password would be silently truncated. We first
 * reduce it with HMAC-SHA-256 (base64, 44 bytes). The fixed HMAC key is not a secret: it only keeps
 * these digests from matching plain SHA-256 hashes leaked elsewhere ("password shucking"). Argon2
 * reads the whole password and needs none of this.
 */
function bcryptPrehash(password: string): string {
  return createHmac('sha256', 'platform/password/v1')
    .update(password.normalize('NFKC'), 'utf8')
    .digest('base64');
}

const isArgon2 = (hash: string) => hash.startsWith('$argon2');
const isBcrypt = (hash: string) => /^\$2[aby]\$/.test(hash);

/**
 * Password hashing behind a bounded pool: every call costs exactly one hash, account or not. New
 * hashes use the configured algorithm; stored hashes of either algorithm verify, and `upgrade`
 * re-hashes one made with another algorithm or other parameters once its password is known.
 */
export class PasswordHasher {
  /** Compared against when an account does not exist, so unknown emails cost one hash too. */
  private readonly dummyHash: Promise<string>;

  constructor(
    private readonly pool: BoundedPool,
    private readonly hashing: PasswordHashing,
  ) {
    this.dummyHash = this.hashNow('no account has this password');
  }

  hash(password: string): Promise<string> {
    return this.run(() => this.hashNow(password));
  }

  /** True when `password` matches `hash`; with no hash it spends the same time and returns false. */
  async verify(password: string, hash: string | null): Promise<boolean> {
    const target = hash ?? (await this.dummyHash);
    const matches = await this.run(() => this.compare(password, target));
    return hash !== null && matches;
  }

  /** Whether `hash` was made with another algorithm or other parameters than new hashes get. */
  isOutdated(hash: string): boolean {
    const config = this.hashing;
    if (config.algorithm === 'bcrypt') return !isBcrypt(hash) || bcrypt.getRounds(hash) !== config.cost;
    if (!hash.startsWith('$argon2id$')) return true;
    return argon2.needsRehash(hash, {
      memoryCost: config.memoryKiB,
      timeCost: config.timeCost,
      parallelism: config.parallelism,
    });
  }

  /**
   * A new hash of a password that was just verified against an outdated `hash`, or null when it is
   * current. Best effort: when the pool is full the old hash stays and the next sign-in tries again,
   * so an upgrade never turns a good sign-in into a 503.
   */
  async upgrade(password: string, hash: string): Promise<string | null> {
    if (!this.isOutdated(hash)) return null;
    try {
      return await this.pool.run(() => this.hashNow(password));
    } catch (error) {
      if (error instanceof PoolOverloadedError) return null;
      throw error;
    }
  }

  private hashNow(password: string): Promise<string> {
    const config = this.hashing;
    if (config.algorithm === 'bcrypt') return bcrypt.hash(bcryptPrehash(password), config.cost);
    return argon2.hash(password.normalize('NFKC'), {
      type: argon2.argon2id,
      memoryCost: config.memoryKiB,
      timeCost: config.timeCost,
      parallelism: config.parallelism,
    });
  }

  /** Checks against a stored hash of either algorithm; anything else never matches. */
  private async compare(password: string, hash: string): Promise<boolean> {
    if (isArgon2(hash)) return argon2.verify(hash, password.normalize('NFKC'));
    if (isBcrypt(hash)) return bcrypt.compare(bcryptPrehash(password), hash);
    return false;
  }

  /** A full pool is answered at once with 503 and a Retry-After, never queued without end. */
  private async run<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await this.pool.run(task);
    } catch (error) {
      if (!(error instanceof PoolOverloadedError)) throw error;
      throw new AppError('overloaded', 'Too many sign-ins at once; retry shortly.', {
        headers: { 'Retry-After': String(error.retryAfterSeconds) },
      });
    }
  }
}
