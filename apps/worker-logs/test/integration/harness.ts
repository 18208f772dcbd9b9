import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Bus, createEnvelope } from '@platform/bus';
import { loadConfig } from '@platform/config';
import type { EventPayload } from '@platform/contracts';
import { createOrm, type MikroORM } from '@platform/db';
import { createLogger } from '@platform/observability';
export { eventually, hostPort } from '@platform/testkit';
import { createTestEnvironment, type TestEnvironment, type TestWorker } from '@platform/testkit';
import { logsConfigSchema, type LogsConfig } from '../../src/config.js';
import { startLogsWorker } from '../../src/worker.js';

export interface LogsWorld {
  env: TestEnvironment;
  bus: Bus;
  orm: MikroORM;
  /** Starts worker-logs in-process. */
  start(overrides?: Record<string, string>): Promise<TestWorker<LogsConfig>>;
  close(): Promise<void>;
}

/** An environment with a publishing bus and a database handle for assertions. */
export async function logsWorld(): Promise<LogsWorld> {
  const env = await createTestEnvironment();
  const bus = await Bus.connect({
    url: env.env.AMQP_URL ?? '',
    namespace: env.namespace,
    connectionName: 'worker-logs-test',
    logger: createLogger('test', 'silent'),
  });
  const orm = await createOrm({ url: env.env.DATABASE_URL ?? '', poolMax: 2 });
  return {
    env,
    bus,
    orm,
    start: (overrides = {}) =>
      env.startWorker(
        'worker-logs',
        (e) => loadConfig(logsConfigSchema, e),
        (config, resources) => startLogsWorker(resources, config),
        overrides,
      ),
    async close() {
      await bus.close();
      await orm.close(true);
      await env.close();
    },
  };
}

let seq = 0;
/** A distinct, valid request-log payload. */
export function requestLog(
  overrides: Partial<EventPayload<'log.request'>> = {},
): EventPayload<'log.request'> {
  seq++;
  return {
    service: 'test',
    requestId: `req-${seq}`,
    method: 'GET',
    path: `/things/${seq}`,
    status: 200,
    ms: 1.5,
    userId: null,
    ip: '203.0.113.7',
    userAgent: 'jest',
    ...overrides,
  };
}

/** Publishes `count` request logs; returns their envelope ids. */
export async function publishRequestLogs(bus: Bus, count: number): Promise<string[]> {
  const envelopes = Array.from({ length: count }, () => createEnvelope('log.request', requestLog()));
  await Promise.all(envelopes.map((envelope) => bus.publish({ queue: 'logs' }, envelope)));
  return envelopes.map((envelope) => envelope.id);
}

/** Rows in audit_logs, and how many distinct message ids they hold. */
export async function countRows(orm: MikroORM): Promise<{ rows: number; distinct: number }> {
  const [row] = await orm.em
    .getKnex()('audit_logs')
    .select(orm.em.getKnex().raw('count(*)::int as rows, count(distinct message_id)::int as distinct'));
  return { rows: Number(row?.rows ?? 0), distinct: Number(row?.distinct ?? 0) };
}

// Jest runs from the package folder (and compiles tests to CommonJS, without import.meta).
const ENTRY = path.resolve(process.cwd(), 'src/index.ts');

/** Runs worker-logs as a real child process (so it can be SIGKILLed), from source through tsx. */
export function spawnWorker(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    env: { ...process.env, ...env, PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The value of an unlabelled series (default labels such as `service` allowed) in Prometheus text. */
export function metricValue(text: string, name: string): number {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return match?.[1] === undefined ? Number.NaN : Number(match[1]);
}
