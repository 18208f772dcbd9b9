import { BoundedPool, PoolOverloadedError, type PoolMetrics } from './bounded-pool.js';

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

  it('suggests a longer Retry-After the deeper the queue', async () => {
    const pool = new BoundedPool({ concurrency: 1, queueLimit: 50 });
    const gate = deferred();
    const slow = () => gate.promise.then(() => new Promise<void>((r) => setTimeout(r, 40)));
    // Teach the pool that a task takes ~40 ms, then fill the queue.
    await pool.run(() => new Promise<void>((r) => setTimeout(r, 40)));
    const shallow = pool.retryAfterSeconds();
    const tasks = Array.from({ length: 50 }, () => pool.run(slow));
    const deep = pool.retryAfterSeconds();
    expect(shallow).toBe(1);
    expect(deep).toBeGreaterThan(shallow);
    gate.resolve();
    await Promise.all(tasks);
  });

  it('hands a finished slot to the next waiter, so a newcomer cannot jump the queue', async () => {
    // The pool reports its gauges right after releasing a slot; the newcomer arrives exactly then,
    // before the waiter has resumed: the moment a naive release would let it slip in.
    let arriveOnRelease: (() => void) | undefined;
    const gauge = { set: () => arriveOnRelease?.() };
    const noop = { inc: () => undefined, observe: () => undefined, set: () => undefined };
    const metrics = {
      inFlight: gauge,
      queueDepth: noop,
      rejected: noop,
      duration: noop,
    } as unknown as PoolMetrics;
    const pool = new BoundedPool({ concurrency: 1, queueLimit: 5, metrics });
    let running = 0;
    let peak = 0;
    const order: string[] = [];
    const task = (name: string) => async () => {
      running += 1;
      peak = Math.max(peak, running);
      order.push(name);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
    };
    let newcomer: Promise<void> | undefined;
    const first = pool.run(async () => {
      await task('first')();
      arriveOnRelease = () => {
        arriveOnRelease = undefined;
        newcomer = pool.run(task('newcomer'));
      };
    });
    const waiter = pool.run(task('waiter'));
    await first;
    await Promise.all([waiter, newcomer]);
    expect(peak).toBe(1);
    expect(order).toEqual(['first', 'waiter', 'newcomer']);
  });
});
