import { AppError } from '@platform/http';
import { reserveAttempt, type AttemptBudgets } from './sign-in-attempts.js';

/** Records which budget each call touched; `locked` names the budgets that refuse. */
function fakeBudgets(locked: { identifier?: boolean; device?: boolean } = {}) {
  const calls: string[] = [];
  const budgets: AttemptBudgets = {
    reserve: (identifier, ip) => {
      calls.push(`reserve ${identifier} ${ip}`);
      return Promise.resolve(
        locked.identifier
          ? { allowed: false, retryAfterSeconds: 60 }
          : { allowed: true, identifierCount: 3, ipCount: 7 },
      );
    },
    failed: (identifier, ip, reservation) => {
      calls.push(`failed ${identifier} ${ip} ${reservation.identifierCount}/${reservation.ipCount}`);
      return Promise.resolve(null);
    },
    succeeded: (identifier, ip) => Promise.resolve(void calls.push(`succeeded ${identifier} ${ip}`)),
    release: (identifier, ip) => Promise.resolve(void calls.push(`release ${identifier} ${ip}`)),
    reserveDevice: (deviceId) => {
      calls.push(`reserveDevice ${deviceId}`);
      return Promise.resolve(
        locked.device ? { allowed: false, retryAfterSeconds: 30 } : { allowed: true, count: 2 },
      );
    },
    deviceFailed: (deviceId, count) => {
      calls.push(`deviceFailed ${deviceId} ${count}`);
      return Promise.resolve(new Date(0));
    },
    deviceSucceeded: (deviceId) => Promise.resolve(void calls.push(`deviceSucceeded ${deviceId}`)),
    releaseDevice: (deviceId) => Promise.resolve(void calls.push(`releaseDevice ${deviceId}`)),
  };
  return { budgets, calls };
}

const scope = { identifier: 'owner@example.com', ip: '203.0.113.9' };

describe('reserveAttempt', () => {
  it('counts a sign-in without a trusted device against the identifier and the IP together', async () => {
    const { budgets, calls } = fakeBudgets();
    const attempt = await reserveAttempt(budgets, { ...scope, deviceId: null });
    expect(attempt.deviceId).toBeNull();
    await attempt.failed();
    await attempt.succeeded();
    await attempt.release();
    expect(calls).toEqual([
      'reserve owner@example.com 203.0.113.9',
      'failed owner@example.com 203.0.113.9 3/7',
      'succeeded owner@example.com 203.0.113.9',
      'release owner@example.com 203.0.113.9',
    ]);
  });

  it('counts a sign-in through a trusted device against that device alone, never the identifier or IP', async () => {
    const { budgets, calls } = fakeBudgets({ identifier: true });
    const attempt = await reserveAttempt(budgets, { ...scope, deviceId: 'd1' });
    expect(attempt.deviceId).toBe('d1');
    await attempt.failed();
    await attempt.succeeded();
    await attempt.release();
    expect(calls).toEqual([
      'reserveDevice d1',
      'deviceFailed d1 2',
      'deviceSucceeded d1',
      'releaseDevice d1',
    ]);
  });

  it('refuses with 423 account_locked and Retry-After when the budget it draws on is used up', async () => {
    const identifierLocked = reserveAttempt(fakeBudgets({ identifier: true }).budgets, {
      ...scope,
      deviceId: null,
    });
    await expect(identifierLocked).rejects.toMatchObject({
      code: 'account_locked',
      options: { headers: { 'Retry-After': '60' } },
    });
    const deviceLocked = reserveAttempt(fakeBudgets({ device: true }).budgets, { ...scope, deviceId: 'd1' });
    await expect(deviceLocked).rejects.toBeInstanceOf(AppError);
    await expect(deviceLocked).rejects.toMatchObject({ options: { headers: { 'Retry-After': '30' } } });
  });
});
