import { once } from 'node:events';
import { TcpProxy } from '@platform/test-services';
import {
  countRows,
  eventually,
  hostPort,
  logsWorld,
  publishRequestLogs,
  spawnWorker,
  type LogsWorld,
} from './harness.js';

/** Each fault: N messages in, exactly N rows out, nothing dead-lettered, nothing left in the queue. */
async function expectExactlyStored(world: LogsWorld, count: number): Promise<void> {
  await eventually(`${count} rows`, async () => (await countRows(world.orm)).distinct >= count, 60_000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(await countRows(world.orm)).toEqual({ rows: count, distinct: count });
  expect(await world.bus.queueDepths(['logs'])).toEqual({ logs: 0, 'logs.dlq': 0 });
}

describe('worker-logs under faults', () => {
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

  it('survives PostgreSQL going away under load (connections killed, refused for 2 s) and stores every record once', async () => {
    const database = world.env.env.DATABASE_URL ?? '';
    const proxy = await TcpProxy.start(hostPort(database));
    const worker = await world.start({
      DATABASE_URL: proxy.url(database),
      LOG_BATCH_SIZE: '100',
      LOG_BATCH_MAX_WAIT_MS: '50',
    });
    try {
      const publishing = publishRequestLogs(world.bus, 3_000);
      await eventually('some rows stored', async () => (await countRows(world.orm)).rows > 0);
      // What a restart does to clients: every connection dropped, new ones refused until it is back.
      proxy.refuse(true);
      proxy.cut();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      proxy.refuse(false);
      await publishing;
      await expectExactlyStored(world, 3_000);
      expect((await fetch(`${worker.url}/ready`)).status).toBe(200);
    } finally {
      await worker.stop();
      await proxy.close();
    }
  });

  it('stores every record once when the broker connection drops mid-stream', async () => {
    const amqp = world.env.env.AMQP_URL ?? '';
    const proxy = await TcpProxy.start(hostPort(amqp));
    const worker = await world.start({
      AMQP_URL: proxy.url(amqp),
      LOG_BATCH_SIZE: '100',
      LOG_BATCH_MAX_WAIT_MS: '50',
    });
    try {
      await publishRequestLogs(world.bus, 3_000);
      await eventually('some rows stored', async () => (await countRows(world.orm)).rows > 0);
      proxy.cut();
      await expectExactlyStored(world, 3_000);
    } finally {
      await worker.stop();
      await proxy.close();
    }
  });

  it('stores every record once when the worker process is killed mid-batch and restarted', async () => {
    await publishRequestLogs(world.bus, 5_000);
    const env = { ...world.env.env, LOG_BATCH_SIZE: '200', LOG_BATCH_MAX_WAIT_MS: '1000' };
    const first = spawnWorker(env);
    await eventually('the first worker storing', async () => (await countRows(world.orm)).rows > 0, 30_000);
    first.kill('SIGKILL');
    await once(first, 'exit');
    const partial = (await countRows(world.orm)).rows;
    expect(partial).toBeLessThan(5_000);

    const second = spawnWorker(env);
    try {
      await expectExactlyStored(world, 5_000);
    } finally {
      second.kill('SIGTERM');
      await once(second, 'exit');
    }
  });
});
