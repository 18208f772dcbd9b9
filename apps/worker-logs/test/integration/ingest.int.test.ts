import { createEnvelope } from '@platform/bus';
import {
  countRows,
  eventually,
  logsWorld,
  metricValue,
  publishRequestLogs,
  requestLog,
  type LogsWorld,
} from './harness.js';

describe('worker-logs ingestion', () => {
  let world: LogsWorld;

  beforeAll(async () => {
    world = await logsWorld();
  });
  afterAll(async () => {
    await world.close();
  });
  beforeEach(async () => {
    await world.orm.em.getKnex()('audit_logs').delete();
  });

  it('stores request and audit records with every field, in batches, and acks them', async () => {
    const worker = await world.start({ LOG_BATCH_SIZE: '50', LOG_BATCH_MAX_WAIT_MS: '100' });
    try {
      const audit = createEnvelope('log.audit', {
        service: 'admin',
        requestId: 'req-audit',
        action: 'users.role.change',
        actorId: '7d0f3f0e-9a43-4e0c-9d1b-2b7a4f3c1a11',
        targetId: 'b1e4a3f2-1111-4c2d-8e9f-0a1b2c3d4e5f',
        ip: '198.51.100.4',
        userAgent: 'curl/8',
        before: { role: 'user' },
        after: { role: 'manager' },
      });
      await world.bus.publish({ queue: 'logs' }, audit);
      const ids = await publishRequestLogs(world.bus, 420);

      await eventually('421 rows', async () => (await countRows(world.orm)).rows === 421);
      const knex = world.orm.em.getKnex();
      const stored = await knex('audit_logs').where('message_id', audit.id).first();
      expect(stored).toMatchObject({
        kind: 'audit',
        service: 'admin',
        action: 'users.role.change',
        actor_id: audit.payload.actorId,
        target_id: audit.payload.targetId,
        ip: '198.51.100.4',
        before: { role: 'user' },
        after: { role: 'manager' },
      });
      expect(new Date(stored.occurred_at).toISOString()).toBe(audit.occurredAt);
      const request = await knex('audit_logs').where('message_id', ids[0]).first();
      expect(request).toMatchObject({ kind: 'request', method: 'GET', status: 200, duration_ms: 1.5 });

      const metrics = await worker.resources.registry.metrics();
      const batches = metricValue(metrics, 'logs_batch_size_count');
      // 421 rows in batches of at most 50: at least 9 writes, and far fewer than one per row.
      expect(batches).toBeGreaterThanOrEqual(9);
      expect(batches).toBeLessThan(100);
      expect(metricValue(metrics, 'logs_rows_inserted_total')).toBe(421);
      await eventually('the queue drained', async () => (await world.bus.queueDepths(['logs'])).logs === 0);
    } finally {
      await worker.stop();
    }
  });

  it('stores a redelivered message once', async () => {
    const worker = await world.start({ LOG_BATCH_MAX_WAIT_MS: '50' });
    try {
      const envelope = createEnvelope('log.request', requestLog());
      await world.bus.publish({ queue: 'logs' }, envelope);
      await world.bus.publish({ queue: 'logs' }, envelope);
      await world.bus.publish({ queue: 'logs' }, createEnvelope('log.request', requestLog()));
      await eventually('both distinct records', async () => (await countRows(world.orm)).distinct === 2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await countRows(world.orm)).toEqual({ rows: 2, distinct: 2 });
    } finally {
      await worker.stop();
    }
  });

  it('dead-letters a record it can never store, with the reason, and keeps the queue flowing', async () => {
    const worker = await world.start({ LOG_BATCH_MAX_WAIT_MS: '50' });
    try {
      const poison = createEnvelope('log.request', { ...requestLog(), status: 'teapot' });
      const stranger = createEnvelope('user.registered', { hello: 'world' });
      await world.bus.publish({ queue: 'logs' }, poison);
      await world.bus.publish({ queue: 'logs' }, stranger);
      await publishRequestLogs(world.bus, 5);
      await eventually('the 5 good rows', async () => (await countRows(world.orm)).rows === 5);
      await eventually(
        '2 messages in logs.dlq',
        async () => (await world.bus.queueDepths(['logs']))['logs.dlq'] === 2,
      );
    } finally {
      await worker.stop();
    }
  });

  it('strips NUL characters that Postgres would refuse, without failing the batch', async () => {
    const worker = await world.start({ LOG_BATCH_MAX_WAIT_MS: '50' });
    try {
      const nul = String.fromCharCode(0);
      const envelope = createEnvelope(
        'log.request',
        requestLog({ userAgent: `evil${nul}agent`, path: `/x${nul}y` }),
      );
      await world.bus.publish({ queue: 'logs' }, envelope);
      await publishRequestLogs(world.bus, 3);
      await eventually('4 rows', async () => (await countRows(world.orm)).rows === 4);
      const row = await world.orm.em.getKnex()('audit_logs').where('message_id', envelope.id).first();
      expect(row).toMatchObject({ user_agent: 'evilagent', path: '/xy' });
    } finally {
      await worker.stop();
    }
  });

  it('purges records older than the retention period and keeps newer ones', async () => {
    const knex = world.orm.em.getKnex();
    const old = new Date(Date.now() - 3 * 86_400_000);
    await knex('audit_logs').insert([
      { message_id: crypto.randomUUID(), kind: 'request', occurred_at: old, service: 'test' },
      { message_id: crypto.randomUUID(), kind: 'request', occurred_at: new Date(), service: 'test' },
    ]);
    const worker = await world.start({ LOG_RETENTION_DAYS: '2' });
    try {
      await eventually('the old row purged', async () => (await countRows(world.orm)).rows === 1);
      const [kept] = await knex('audit_logs').select('occurred_at');
      expect(new Date(kept.occurred_at).getTime()).toBeGreaterThan(old.getTime());
    } finally {
      await worker.stop();
    }
  });

  it('answers /ready while connected', async () => {
    const worker = await world.start();
    try {
      const response = await fetch(`${worker.url}/ready`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ready' });
    } finally {
      await worker.stop();
    }
  });
});
