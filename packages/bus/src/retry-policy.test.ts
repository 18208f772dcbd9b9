import {
  ATTEMPT_HEADER,
  assertRetryPolicy,
  attemptOf,
  planFailure,
  retryDelaysInUse,
} from './retry-policy.js';

const policy = { delaysMs: [100, 500], maxAttempts: 4 };

describe('attemptOf', () => {
  it('counts a delivery without the header as the first attempt', () => {
    expect(attemptOf(undefined)).toBe(1);
    expect(attemptOf({})).toBe(1);
  });

  it('reads the attempt number from the header', () => {
    expect(attemptOf({ [ATTEMPT_HEADER]: 3 })).toBe(3);
    expect(attemptOf({ [ATTEMPT_HEADER]: '2' })).toBe(2);
  });

  it('falls back to the first attempt on a malformed header', () => {
    expect(attemptOf({ [ATTEMPT_HEADER]: 0 })).toBe(1);
    expect(attemptOf({ [ATTEMPT_HEADER]: 1.5 })).toBe(1);
    expect(attemptOf({ [ATTEMPT_HEADER]: 'soon' })).toBe(1);
  });
});

describe('planFailure', () => {
  it('retries with increasing delays and counts the attempt up', () => {
    expect(planFailure(1, policy)).toEqual({ action: 'retry', delayMs: 100, nextAttempt: 2 });
    expect(planFailure(2, policy)).toEqual({ action: 'retry', delayMs: 500, nextAttempt: 3 });
  });

  it('repeats the last delay when attempts outnumber the delays', () => {
    expect(planFailure(3, policy)).toEqual({ action: 'retry', delayMs: 500, nextAttempt: 4 });
  });

  it('dead-letters once the last attempt has failed', () => {
    expect(planFailure(4, policy)).toEqual({ action: 'dead-letter' });
    expect(planFailure(9, policy)).toEqual({ action: 'dead-letter' });
  });

  it('dead-letters at once when only one attempt is allowed', () => {
    expect(planFailure(1, { delaysMs: [], maxAttempts: 1 })).toEqual({ action: 'dead-letter' });
  });
});

describe('retryDelaysInUse', () => {
  it('lists each delay that some attempt uses, once', () => {
    expect(retryDelaysInUse(policy)).toEqual([100, 500]);
  });

  it('leaves out delays beyond the last attempt', () => {
    expect(retryDelaysInUse({ delaysMs: [100, 500, 900], maxAttempts: 2 })).toEqual([100]);
  });
});

describe('assertRetryPolicy', () => {
  it('accepts a sound policy', () => {
    expect(assertRetryPolicy(policy)).toBe(policy);
  });

  it('rejects retries without delays, zero attempts and fractional delays', () => {
    expect(() => assertRetryPolicy({ delaysMs: [], maxAttempts: 2 })).toThrow(RangeError);
    expect(() => assertRetryPolicy({ delaysMs: [100], maxAttempts: 0 })).toThrow(RangeError);
    expect(() => assertRetryPolicy({ delaysMs: [0.5], maxAttempts: 2 })).toThrow(RangeError);
  });
});
