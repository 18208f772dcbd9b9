import { backoffDelayMs, type RetryPolicy } from './backoff.js';

const policy: RetryPolicy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

describe('backoffDelayMs', () => {
  it('doubles the ceiling with each retry', () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4].map((retry) => backoffDelayMs(policy, retry, top))).toEqual([99, 199, 399, 799]);
  });

  it('never waits longer than the policy allows', () => {
    expect(backoffDelayMs(policy, 30, () => 0.999_999)).toBe(999);
  });

  it('draws anywhere from zero (full jitter), so failed clients spread out', () => {
    expect(backoffDelayMs(policy, 3, () => 0)).toBe(0);
    expect(backoffDelayMs(policy, 3, () => 0.5)).toBe(200);
  });
});
