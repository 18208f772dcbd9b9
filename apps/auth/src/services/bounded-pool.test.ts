import { BoundedPool, PoolOverloadedError } from './bounded-pool.js';

function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('BoundedPool', () => {
  it('runs at most `concurrency` tasks at once', async () => {
    const pool = new BoundedPool({ concurrency: 2, queueLimit: 10 });
    let running = 0;
    let peak = 0;
    const task = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
    };
    await Promise.all(Array.from({ length: 8 }, () => pool.run(task)));
    expect(peak).toBe(2);
  });

  it('refuses at once when the slots and the queue are full, and recovers after', async () => {
    const pool = new BoundedPool({ concurrency: 1, queueLimit: 1 });
    const gate = deferred();
    const first = pool.run(() => gate.promise);
    const second = pool.run(async () => 'queued');
    await expect(pool.run(async () => 'third')).rejects.toBeInstanceOf(PoolOverloadedError);
    expect(pool.stats).toEqual({ running: 1, waiting: 1 });
    gate.resolve();
    await first;
    await expect(second).resolves.toBe('queued');
    await expect(pool.run(async () => 'later')).resolves.toBe('later');
  });

  it('frees the slot when a task fails', async () => {
    const pool = new BoundedPool({ concurrency: 1, queueLimit: 0 });
    await expect(pool.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(pool.run(async () => 'next')).resolves.toBe('next');
  });

  it('suggests a Retry-After of at least one second', async () => {
    const pool = new BoundedPool({ concurrency: 1, queueLimit: 0 });
    const gate = deferred();
    const busy = pool.run(() => gate.promise);
    const error = await pool.run(async () => 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoolOverloadedError);
    expect((error as PoolOverloadedError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    gate.resolve();
    await busy;
  });
});
