import { fileURLToPath } from 'node:url';
import { freePort, startChild, tsxImport, type RunningChild } from '@platform/benchkit';
import type { MailSink } from '@platform/mail-sink';

const appDir = fileURLToPath(new URL('..', import.meta.url));
// A path handed to a child process, not an import: apps never import each other.
const authDir = fileURLToPath(new URL('../../auth', import.meta.url));
const HUGE = '1000000000';

/** bcrypt cost for auth in the bench: the default 12 costs ~290 ms a hash on the 2-core bench box. */
export const BENCH_BCRYPT_COST = 10;

/** A child service and the ports the bench talks to. */
export interface ServiceChild {
  child: RunningChild;
  url: string;
  metricsUrl: string;
}

/**
 * Settings shared by both children: deployed mode (`NODE_ENV=production`, info logs to the child's
 * log file) on the isolated environment's database and namespace. They run from source through tsx,
 * because auth is no dependency of worker-email, so turbo does not build it before this bench.
 */
async function ports(): Promise<{ port: number; metricsPort: number; env: Record<string, string> }> {
  const [port, metricsPort] = [await freePort(), await freePort()];
  return {
    port,
    metricsPort,
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
    },
  };
}

function urls(port: number, metricsPort: number) {
  return { url: `http://127.0.0.1:${port}`, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
}

/** The auth service with every rate limit out of the way, so only hashing and I/O bound it. */
export async function startAuthChild(env: Record<string, string>): Promise<ServiceChild> {
  const { port, metricsPort, env: own } = await ports();
  const child = await startChild({
    name: 'auth',
    args: ['--import', tsxImport(), 'src/index.ts'],
    cwd: authDir,
    env: {
      ...env,
      ...own,
      DATABASE_POOL_MAX: '10', // the service default (the test environment uses 5)
      BCRYPT_COST: String(BENCH_BCRYPT_COST),
      // Open-loop arrivals bunch up; a deeper queue keeps bursts from being answered 503.
      HASH_QUEUE_LIMIT: '256',
      PUBLIC_WEB_URL: 'https://app.example.test',
      RATE_LIMIT_PER_MINUTE: HUGE,
      AUTH_RATE_LIMIT_PER_MINUTE: HUGE,
      AUTH_IDENTIFIER_RATE_LIMIT_PER_MINUTE: HUGE,
    },
    readyUrl: `http://127.0.0.1:${port}/ready`,
  });
  return { child, ...urls(port, metricsPort) };
}

/** worker-email sending to the sink, with its default concurrency unless `concurrency` is given. */
export async function startEmailChild(
  env: Record<string, string>,
  sink: MailSink,
  concurrency?: number,
): Promise<ServiceChild> {
  const { port, metricsPort, env: own } = await ports();
  const child = await startChild({
    name: 'worker-email',
    args: ['--import', tsxImport(), 'src/index.ts'],
    cwd: appDir,
    env: {
      ...env,
      ...own,
      DATABASE_POOL_MAX: '10',
      SMTP_HOST: sink.host,
      SMTP_PORT: String(sink.port),
      MAIL_FROM: 'Platform <no-reply@platform.test>',
      ...(concurrency ? { EMAIL_CONCURRENCY: String(concurrency) } : {}),
    },
    readyUrl: `http://127.0.0.1:${port}/ready`,
  });
  return { child, ...urls(port, metricsPort) };
}

/** CPU seconds a child used while `work` ran, with the work's result. */
export async function withCpu<T>(child: RunningChild, work: () => Promise<T>): Promise<[T, number]> {
  const before = child.cpuSeconds() ?? Number.NaN;
  const result = await work();
  return [result, (child.cpuSeconds() ?? Number.NaN) - before];
}
