import { fileURLToPath } from 'node:url';
import { freePort, startChild, tsxImport } from '@platform/benchkit';
import { Bus, createEnvelope } from '@platform/bus';
import type { EventPayload } from '@platform/contracts';
import type { MikroORM } from '@platform/db';
import { createLogger } from '@platform/observability';
import { scrapeLogsMetrics, type LogsMetrics } from './metrics.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));

export interface IngestRun {
  batchSize: number;
  messages: number;
  publishSeconds: number;
  /** Worker ready -> the last row counted by the worker. */
  seconds: number;
  messagesPerSecond: number;
  /** Rows already in when the worker answered ready (it consumes before the probe says so). */
  insertedAtReady: number;
  /** Rows and distinct message ids in audit_logs afterwards: both must equal `messages`. */
  rows: number;
  distinct: number;
  metrics: LogsMetrics;
  workerCores: number | undefined;
}

/** A distinct, valid request log, shaped like the ones the HTTP services publish. */
function requestLog(i: number): EventPayload<'log.request'> {
  return {
    service: 'bench',
    requestId: `req-${i}`,
    method: 'GET',
    path: `/things/${i}`,
    status: 200,
    ms: 1.5,
    userId: null,
    ip: '203.0.113.7',
    userAgent: 'platform-bench/1.0',
  };
}

/**
 * Fills the `logs` queue with `messages` request logs, then starts worker-logs (its own process,
 * from source through tsx, deployed settings) and times it from ready until it has inserted them all.
 * A backlog, rather than publishing while it consumes, keeps the publisher off the cores it measures.
 */
export async function ingest(
  env: Record<string, string>,
  namespace: string,
  orm: MikroORM,
  messages: number,
  batchSize: number,
): Promise<IngestRun> {
  await orm.em.getKnex().raw('truncate audit_logs');
  const publishSeconds = await publishBacklog(env, namespace, messages);
  const [port, metricsPort] = [await freePort(), await freePort()];
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const child = await startChild({
    name: `worker-logs-${batchSize}`,
    args: ['--import', tsxImport(), 'src/index.ts'],
    cwd: appDir,
    env: {
      ...env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      DATABASE_POOL_MAX: '10',
      LOG_BATCH_SIZE: String(batchSize),
    },
    readyUrl: `http://127.0.0.1:${port}/ready`,
  });
  try {
    const started = performance.now();
    const cpuBefore = child.cpuSeconds();
    const insertedAtReady = (await scrapeLogsMetrics(metricsUrl)).inserted;
    const deadline = Date.now() + 300_000;
    let metrics = await scrapeLogsMetrics(metricsUrl);
    while (metrics.inserted < messages && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      metrics = await scrapeLogsMetrics(metricsUrl);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = child.cpuSeconds();
    const [counted] = await orm.em
      .getKnex()('audit_logs')
      .select(orm.em.getKnex().raw('count(*)::int as rows, count(distinct message_id)::int as distinct'));
    return {
      batchSize,
      messages,
      publishSeconds,
      seconds,
      messagesPerSecond: metrics.inserted / seconds,
      insertedAtReady,
      rows: Number(counted?.rows ?? 0),
      distinct: Number(counted?.distinct ?? 0),
      metrics,
      workerCores:
        cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / seconds,
    };
  } finally {
    await child.stop();
  }
}

/** Publishes in confirmed chunks: the bus holds at most 10 000 unconfirmed messages. */
async function publishBacklog(
  env: Record<string, string>,
  namespace: string,
  messages: number,
): Promise<number> {
  const bus = await Bus.connect({
    url: env.AMQP_URL ?? '',
    namespace,
    connectionName: 'worker-logs-bench',
    logger: createLogger('bench', 'silent'),
  });
  const started = performance.now();
  try {
    for (let from = 0; from < messages; from += 2000) {
      const chunk = Array.from({ length: Math.min(2000, messages - from) }, (_, i) =>
        bus.publish({ queue: 'logs' }, createEnvelope('log.request', requestLog(from + i))),
      );
      await Promise.all(chunk);
    }
    return (performance.now() - started) / 1000;
  } finally {
    await bus.close();
  }
}
