import { createHmac } from 'node:crypto';
import bcrypt from 'bcrypt';
import { AppError } from '@platform/http';
import { PoolOverloadedError, type BoundedPool } from './bounded-pool.js';

/**
 * bcrypt reads at most 72 bytes, so a 128-character password would be silently truncated. We first
 * reduce it with HMAC-SHA-256 (base64, 44 bytes). The fixed HMAC key is not a secret: it only keeps
 * these digests from matching plain SHA-256 hashes leaked elsewhere ("password shucking").
 */
function prehash(password: string): string {
  return createHmac('sha256', 'platform/password/v1')
    .update(password.normalize('NFKC'), 'utf8')
    .digest('base64');
}

/** bcrypt behind a bounded pool; every call costs exactly one hash, account or not. */
export class PasswordHasher {
  private dummyHash: Promise<string>;

  constructor(
    private readonly pool: BoundedPool,
    private readonly cost: number,
  ) {
    // Compared against when an account does not exist, so unknown emails cost one hash too.
    this.dummyHash = bcrypt.hash(prehash('no account has this password'), cost);
  }

  hash(password: string): Promise<string> {
    return this.run(() => bcrypt.hash(prehash(password), this.cost));
  }

  /** True when `password` matches `hash`; with no hash it spends the same time and returns false. */
  async verify(password: string, hash: string | null): Promise<boolean> {
    const target = hash ?? (await this.dummyHash);
    const matches = await this.run(() => bcrypt.compare(prehash(password), target));
    return hash !== null && matches;
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
