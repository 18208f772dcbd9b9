/**
 * How often and how late a failed message is tried again. The delays are baked into the retry queues'
 * `x-message-ttl`, so every service of one namespace must use the same policy.
 */
export interface RetryPolicy {
  /** Delay before the 2nd, 3rd, ... attempt; the last one repeats if `maxAttempts` asks for more. */
  readonly delaysMs: readonly number[];
  /** Total handler attempts, the first delivery included; after the last one the message is dead-lettered. */
  readonly maxAttempts: number;
}

/** Four attempts: retried after 1 s, 10 s and 1 min, then dead-lettered. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { delaysMs: [1_000, 10_000, 60_000], maxAttempts: 4 };

/** Header carrying the 1-based attempt number of a redelivered message; absent on the first delivery. */
export const ATTEMPT_HEADER = 'attempt';

/** What to do with a message whose handler just failed. */
export type FailurePlan =
  { action: 'retry'; delayMs: number; nextAttempt: number } | { action: 'dead-letter' };

/** Throws on a policy that cannot be turned into retry queues. */
export function assertRetryPolicy(policy: RetryPolicy): RetryPolicy {
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`retry maxAttempts must be a positive integer, got ${policy.maxAttempts}`);
  }
  if (policy.maxAttempts > 1 && policy.delaysMs.length === 0) {
    throw new RangeError('retry delaysMs must not be empty when maxAttempts > 1');
  }
  for (const delay of policy.delaysMs) {
    if (!Number.isInteger(delay) || delay < 1)
      throw new RangeError(`retry delays must be positive integers, got ${delay}`);
  }
  return policy;
}

/** The attempt a delivery represents, read from its headers (1 when absent or malformed). */
export function attemptOf(headers: Record<string, unknown> | undefined): number {
  const value = headers?.[ATTEMPT_HEADER];
  const attempt = typeof value === 'string' ? Number(value) : value;
  return typeof attempt === 'number' && Number.isInteger(attempt) && attempt >= 1 ? attempt : 1;
}

/** Retry after the delay for this attempt, or dead-letter once `maxAttempts` is used up. */
export function planFailure(attempt: number, policy: RetryPolicy): FailurePlan {
  if (attempt >= policy.maxAttempts) return { action: 'dead-letter' };
  return { action: 'retry', delayMs: delayAfter(attempt, policy), nextAttempt: attempt + 1 };
}

/** The distinct delays a policy can use, i.e. the retry queues each work queue needs. */
export function retryDelaysInUse(policy: RetryPolicy): number[] {
  const delays = new Set<number>();
  for (let attempt = 1; attempt < policy.maxAttempts; attempt++) delays.add(delayAfter(attempt, policy));
  return [...delays];
}

function delayAfter(attempt: number, { delaysMs }: RetryPolicy): number {
  const delay = delaysMs[Math.min(attempt, delaysMs.length) - 1];
  if (delay === undefined) throw new RangeError('retry delaysMs is empty');
  return delay;
}
