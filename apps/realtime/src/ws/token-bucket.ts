/** A per-socket rate limiter: `capacity` frames of burst, refilled at `ratePerSecond`. No timers, no I/O. */
export interface TokenBucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms since the epoch). */
  updatedAt: number;
}

/**
 * A full bucket, so a fresh socket may send its first burst at once. A bucket refills up to its capacity
 * and no further, so one made at a socket's first frame behaves exactly as one made when it opened:
 * sockets make theirs then (`SocketData`), and the many that never send keep none.
 */
export function fullBucket(capacity: number, now: number): TokenBucket {
  return { tokens: capacity, updatedAt: now };
}

/** Refills by the time elapsed, then takes one token; false means the frame is over the limit. */
export function takeToken(bucket: TokenBucket, ratePerSecond: number, now: number): boolean {
  const elapsed = Math.max(0, now - bucket.updatedAt);
  bucket.tokens = Math.min(ratePerSecond, bucket.tokens + (elapsed / 1000) * ratePerSecond);
  bucket.updatedAt = now;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}
