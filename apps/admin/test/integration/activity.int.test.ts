import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { PRESENCE_ONLINE_KEY } from '@platform/contracts';
import { backingServices, type SeededUser } from '@platform/testkit';
import { startHarness, type Harness } from './harness.js';

type Activity = {
  bucket: string;
  from: string;
  to: string;
  points: { at: string; succeeded: number; failed: number }[];
};

let h: Harness;
let root: SeededUser;
let manager: SeededUser;

const T0 = Date.parse('2026-03-01T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** An audit record as worker-logs stores it. */
const audit = (action: string, minutes: number) => ({
  message_id: randomUUID(),
  kind: 'audit',
  occurred_at: at(minutes),
  service: 'auth',
  action,
  target_id: randomUUID(),
});

beforeAll(async () => {
  h = await startHarness();
  root = await h.seed('admin');
  manager = await h.seed('manager');
  await h.admin.resources.orm.em
    .getKnex()('audit_logs')
    .insert([
      audit('login.succeeded', 5),
      audit('login.succeeded', 59),
      audit('login.failed', 30),
      audit('login.2fa_failed', 31),
      audit('login.succeeded', 60 + 1),
      audit('login.failed', 180 + 10),
      // Not sign-ins: never counted.
      audit('login.locked', 32),
      audit('user.lock', 33),
      { ...audit('login.succeeded', 34), kind: 'request' },
      // Outside the window asked for.
      audit('login.succeeded', -1),
      audit('login.succeeded', 240),
    ]);
});
afterAll(() => h.close());

const get = <T>(path: string, token = root.accessToken) => h.api.get<T>(path, { token });

describe('GET /admin/activity/sign-ins', () => {
  it('counts sign-ins and failed ones per hour, every hour listed, empty ones as zeros', async () => {
    const res = await get<Activity>(`/admin/activity/sign-ins?bucket=hour&from=${at(0)}&to=${at(240)}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      bucket: 'hour',
      from: at(0),
      to: at(240),
      points: [
        { at: at(0), succeeded: 2, failed: 2 },
        { at: at(60), succeeded: 1, failed: 0 },
        { at: at(120), succeeded: 0, failed: 0 },
        { at: at(180), succeeded: 0, failed: 1 },
      ],
    });
  });

  it('aligns days to UTC midnight and widens the window to whole buckets', async () => {
    const res = await get<Activity>(`/admin/activity/sign-ins?bucket=day&from=${at(30)}&to=${at(200)}`);
    expect(res.body.points).toEqual([{ at: at(0), succeeded: 4, failed: 3 }]);
    expect([res.body.from, res.body.to]).toEqual([at(0), at(24 * 60)]);
  });

  it('defaults to the last 24 hours, the current hour last', async () => {
    const res = await get<Activity>('/admin/activity/sign-ins');
    expect(res.body.points).toHaveLength(24);
    const last = Date.parse(res.body.points.at(-1)?.at ?? '');
    expect(Date.now() - last).toBeLessThan(3_600_000);
  });

  it.each([
    'bucket=week',
    `from=${at(60)}&to=${at(0)}`,
    `bucket=hour&from=${at(0)}&to=${at(60 * 745)}`,
    'from=yesterday',
  ])('refuses %s with validation_failed', async (query) => {
    const res = await get<{ code: string }>(`/admin/activity/sign-ins?${query}`);
    expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
  });

  it('is for admins only', async () => {
    const res = await get<{ code: string }>('/admin/activity/sign-ins', manager.accessToken);
    expect([res.status, res.body.code]).toEqual([403, 'forbidden']);
  });
});

describe('GET /admin/activity/online', () => {
  it('counts the users whose presence has not expired', async () => {
    const redis = new Redis(backingServices().redisUrl, { keyPrefix: h.env.redisPrefix });
    await redis.zadd(PRESENCE_ONLINE_KEY, Date.now() + 60_000, 'a', Date.now() + 60_000, 'b', 1, 'stale');
    const res = await get<{ online: number; at: string }>('/admin/activity/online');
    redis.disconnect();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ online: 2, at: expect.any(String) });
  });

  it('is for admins only', async () => {
    const res = await get<{ code: string }>('/admin/activity/online', manager.accessToken);
    expect([res.status, res.body.code]).toEqual([403, 'forbidden']);
  });
});
