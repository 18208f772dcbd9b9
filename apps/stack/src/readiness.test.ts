import { NotReadyError, waitUntilReady, type ReadyCheck } from './readiness.js';

const targets = [
  { name: 'auth', url: 'http://auth/ready' },
  { name: 'users', url: 'http://users/ready' },
];

describe('waitUntilReady', () => {
  it('resolves once every service has answered ready, polling the slow ones again', async () => {
    const calls: string[] = [];
    const check: ReadyCheck = async (url) => {
      calls.push(url);
      return url.includes('auth') || calls.length > 3 ? true : 'answered 503';
    };
    await waitUntilReady(targets, {
      timeoutMs: 5_000,
      intervalMs: 1,
      signal: new AbortController().signal,
      check,
    });
    expect(calls.filter((u) => u.includes('auth'))).toHaveLength(1);
    expect(calls.filter((u) => u.includes('users')).length).toBeGreaterThan(1);
  });

  it('names the service that never became ready with its last answer', async () => {
    const check: ReadyCheck = async (url) => (url.includes('users') ? 'answered 503' : true);
    const wait = waitUntilReady(targets, {
      timeoutMs: 30,
      intervalMs: 5,
      signal: new AbortController().signal,
      check,
    });
    await expect(wait).rejects.toThrow(NotReadyError);
    await expect(wait).rejects.toThrow(/users \(answered 503\)/);
    await expect(wait).rejects.not.toThrow(/auth/);
  });

  it('stops waiting as soon as it is aborted', async () => {
    const controller = new AbortController();
    const check: ReadyCheck = async () => 'no answer';
    const wait = waitUntilReady(targets, {
      timeoutMs: 60_000,
      intervalMs: 10,
      signal: controller.signal,
      check,
    });
    setTimeout(() => controller.abort(new Error('shutting down')), 20);
    await expect(wait).rejects.toThrow('shutting down');
  });
});
