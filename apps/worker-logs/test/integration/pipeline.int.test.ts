/* eslint-disable no-restricted-imports -- auth is an app, not a library: its package entry starts a
   server, so the test takes its factory from source. */
import { loadConfig } from '@platform/config';
import { apiClient } from '@platform/testkit';
import { startAuth } from '../../../auth/src/auth.js';
import { authConfigSchema } from '../../../auth/src/config.js';
/* eslint-enable no-restricted-imports -- only the imports above reach into the apps */
import { eventually, logsWorld, type LogsWorld } from './harness.js';

const PASSWORD = 'violet-anchor-meadow-42!';

describe('auth -> outbox -> logs queue -> worker-logs -> audit_logs', () => {
  let world: LogsWorld;

  beforeAll(async () => {
    world = await logsWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  it('stores sign-in audit records with the right actor and target, and the request logs', async () => {
    const worker = await world.start({ LOG_BATCH_MAX_WAIT_MS: '50' });
    const auth = await world.env.start(
      'auth',
      (e) => loadConfig(authConfigSchema, e),
      (config, resources) => startAuth(config, resources),
    );
    try {
      const api = apiClient(auth.url);
      const email = `audited-${Date.now()}@example.com`;
      const registered = await api.post<{ user: { id: string } }>('/register', {
        body: { email, password: PASSWORD },
      });
      const userId = registered.body.user.id;
      await api.post('/login', {
        body: { email, password: 'wrong-wrong-wrong' },
        headers: { 'user-agent': 'audit-test' },
      });
      const login = await api.post<{ accessToken: string }>('/login', {
        body: { email, password: PASSWORD },
      });
      await api.post('/logout', { token: login.body.accessToken });

      const knex = world.orm.em.getKnex();
      const audits = () =>
        knex('audit_logs').where({ kind: 'audit', target_id: userId }).orderBy('occurred_at');
      await eventually('four audit records', async () => (await audits()).length >= 4);
      const rows: Array<{ action: string }> = await audits();
      // The device record is written in the sign-in's transaction: the two may share a timestamp.
      expect(rows.map((r) => r.action).sort()).toEqual([
        'device.trusted',
        'login.failed',
        'login.succeeded',
        'session.revoke',
      ]);
      const row = (action: string) => rows.find((r) => r.action === action);
      expect(row('login.failed')).toMatchObject({
        actor_id: null,
        target_id: userId,
        user_agent: 'audit-test',
        service: 'auth',
      });
      expect(row('login.succeeded')).toMatchObject({ actor_id: userId, target_id: userId });
      expect(row('device.trusted')).toMatchObject({ actor_id: userId, target_id: userId });
      expect(row('session.revoke')).toMatchObject({
        actor_id: userId,
        after: expect.objectContaining({ reason: 'logout' }),
      });

      await eventually('the request log of the logout', async () =>
        Boolean(
          await knex('audit_logs').where({ kind: 'request', path: '/logout', user_id: userId }).first(),
        ),
      );
      const request = await knex('audit_logs').where({ kind: 'request', path: '/logout' }).first();
      expect(request).toMatchObject({ method: 'POST', status: 204, service: 'auth' });
    } finally {
      await auth.stop();
      await worker.stop();
    }
  });
});
