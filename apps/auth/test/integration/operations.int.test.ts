import amqp from 'amqplib';
import { namespaced, parseEnvelope, QUEUES } from '@platform/contracts';
import { backingServices, eventually, type TestEnvironment } from '@platform/testkit';
import { newEmail, registerAndLogin, startAuth, STRONG_PASSWORD } from './harness.js';

const envs: TestEnvironment[] = [];
async function fresh(overrides: Record<string, string> = {}) {
  const started = await startAuth(overrides);
  envs.push(started.env);
  return started;
}
afterAll(() => Promise.all(envs.map((e) => e.close())));

/** bcrypt at cost 12, about 290 ms a hash here: slow enough that a pool of one is plainly full. */
const SLOW_HASH = { PASSWORD_HASH_ALGORITHM: 'bcrypt', BCRYPT_COST: '12' };

describe('hashing pool', () => {
  it('answers 503 overloaded with Retry-After at once when every slot and the queue are full', async () => {
    const { api } = await fresh({ ...SLOW_HASH, HASH_POOL_SIZE: '1', HASH_QUEUE_LIMIT: '1' });
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () =>
        api.post('/login', { body: { email: newEmail(), password: 'whatever-it-is-123' } }),
      ),
    );
    const overloaded = attempts.filter((r) => r.status === 503);
    const served = attempts.filter((r) => r.status === 401);
    expect(served.length).toBeGreaterThanOrEqual(2);
    expect(overloaded.length).toBeGreaterThanOrEqual(4);
    expect(served.length + overloaded.length).toBe(8);
    for (const res of overloaded) {
      expect(res.body.code).toBe('overloaded');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // Once the burst has passed, logins are served again.
    expect(
      (await api.post('/login', { body: { email: newEmail(), password: 'whatever-it-is-123' } })).status,
    ).toBe(401);
  });
});

describe('rate limits on sign-in routes', () => {
  it('limits each client IP across /login and /register with 429 rate_limited and RateLimit headers', async () => {
    const { api } = await fresh({ AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push(
        (await api.post('/login', { body: { email: newEmail(), password: 'whatever-it-is-123' } })).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401]);
    const limited = await api.post('/register', { body: { email: newEmail(), password: STRONG_PASSWORD } });
    expect([limited.status, limited.body.code]).toEqual([429, 'rate_limited']);
    expect(limited.headers['content-type']).toMatch(/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['ratelimit-limit']).toBe('3');
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    expect(Number(limited.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
  });

  it('limits each identifier, whichever way its email is written, without affecting others', async () => {
    const { api } = await fresh({ AUTH_IDENTIFIER_RATE_LIMIT_PER_MINUTE: '2' });
    const target = newEmail('target');
    const tries = [target, target.toUpperCase(), ` ${target} `];
    const statuses = [];
    for (const email of tries)
      statuses.push((await api.post('/login', { body: { email, password: 'nope-nope-nope-1' } })).status);
    expect(statuses).toEqual([401, 401, 429]);
    expect(
      (await api.post('/login', { body: { email: newEmail(), password: 'nope-nope-nope-1' } })).status,
    ).toBe(401);
  });
});

describe('graceful shutdown', () => {
  it('finishes every in-flight request before closing, then refuses new connections', async () => {
    // A grace period far above three slow hashes, so that a busy machine cannot cut them short.
    const { api, auth } = await fresh({
      ...SLOW_HASH,
      HASH_POOL_SIZE: '1',
      HASH_QUEUE_LIMIT: '10',
      SHUTDOWN_GRACE_MS: '60000',
    });
    const inFlight = Array.from({ length: 3 }, () =>
      api.post('/login', { body: { email: newEmail(), password: 'whatever-it-is-123' } }),
    );
    // Stop only once all three are inside the service (one hashing, two queued): on a busy machine
    // a fixed pause can end before the requests have even arrived, and then they are not in flight.
    const gauge = async (name: string) =>
      (await auth.resources.registry.getSingleMetric(name)?.get())?.values[0]?.value ?? 0;
    await eventually(
      'three logins in the hashing pool',
      async () =>
        (await gauge('auth_hash_pool_in_flight')) + (await gauge('auth_hash_pool_queue_depth')) === 3,
    );
    const stopped = auth.stop();
    const results = await Promise.all(inFlight);
    expect(results.map((r) => r.status)).toEqual([401, 401, 401]);
    await stopped;
    await expect(api.get('/health')).rejects.toThrow();
  }, 90_000);
});

describe('bootstrap admin', () => {
  it('creates the configured admin once, who can then log in with role admin', async () => {
    const email = newEmail('root');
    const password = 'granite-orbit-lantern-77';
    const { api, env } = await fresh({ BOOTSTRAP_ADMIN_EMAIL: email, BOOTSTRAP_ADMIN_PASSWORD: password });
    await startAuth({ BOOTSTRAP_ADMIN_EMAIL: email, BOOTSTRAP_ADMIN_PASSWORD: password }, env); // a second replica
    const login = await api.post<{ user: { role: string } }>('/login', { body: { email, password } });
    expect([login.status, login.body.user.role]).toEqual([200, 'admin']);
  });

  it('refuses to start with a weak bootstrap password', async () => {
    const { env } = await fresh();
    await expect(
      startAuth({ BOOTSTRAP_ADMIN_EMAIL: newEmail('root'), BOOTSTRAP_ADMIN_PASSWORD: 'admin' }, env),
    ).rejects.toThrow(/BOOTSTRAP_ADMIN_PASSWORD/);
  });
});

describe('request logs', () => {
  it('publishes one log.request envelope per request to the logs queue', async () => {
    const { api, env } = await fresh();
    const user = await registerAndLogin(api);
    await api.get('/sessions', { token: user.accessToken, headers: { 'x-request-id': 'trace-me-0001' } });

    const connection = await amqp.connect(backingServices().amqpUrl);
    const channel = await connection.createChannel();
    const queue = namespaced(env.namespace, QUEUES.logs);
    const found = await pollFor(async () => {
      const message = await channel.get(queue, { noAck: true });
      if (!message) return undefined;
      const raw = JSON.parse(message.content.toString()) as { type?: string };
      // Sign-ins also write log.audit records to this queue.
      if (raw.type !== 'log.request') return undefined;
      const envelope = parseEnvelope('log.request', raw);
      return envelope.payload.requestId === 'trace-me-0001' ? envelope : undefined;
    });
    await connection.close();
    expect(found.payload).toMatchObject({
      service: 'auth',
      method: 'GET',
      path: '/sessions',
      status: 200,
      userId: user.userId,
    });
    expect(found.payload.ms).toBeGreaterThanOrEqual(0);
  });
});

async function pollFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
}
