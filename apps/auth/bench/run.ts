// pnpm bench (apps/auth): POST /login throughput against the hashing bound, with Argon2id (the
// default) and with bcrypt, each beside a bare node:http server verifying the same hash as the "no
// framework" ceiling. Prints tables and rewrites this bench's section of docs/benchmarks.md.
// Optional: BENCH_CPU_PROF=<dir> profiles the service's event loop.
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  announceMachine,
  freePort,
  isolatedEnvironment,
  type LoadSpec,
  measure,
  type Measured,
  printProfile,
  profilerArgs,
  type ProfileWindow,
  startChild,
  textTable,
  tsxImport,
  warmUp,
  writeDocSection,
} from '@platform/benchkit';
import { ALGORITHMS, type BenchAlgorithm } from './algorithms.js';
import { authSection, boundRows, resultRows, type AlgorithmRun, type BenchSettings } from './doc.js';
import { hashDelta, idleVerifySeconds, scrapeHashMetrics, type HashDelta } from './hashing.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const docPath = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));
const HUGE = '1000000000';

/** Fixed so runs compare; BENCH_SECONDS shortens the measured run while working on the bench. */
const settings: BenchSettings = {
  hashPoolSize: availableParallelism(), // one hashing slot per core, the service's default
  hashQueueLimit: 64, // above the connection count: a saturated, steady pool never answers 503
  connections: 8,
  warmupSeconds: 3,
  measureSeconds: Number(process.env.BENCH_SECONDS ?? 12),
};

interface Credentials {
  email: string;
  password: string;
}

async function main(): Promise<void> {
  const machine = await announceMachine('auth bench');
  const environment = await isolatedEnvironment();
  try {
    const runs: AlgorithmRun[] = [];
    const windows: ProfileWindow[] = [];
    for (const algorithm of [ALGORITHMS.argon2id, ALGORITHMS.bcrypt]) {
      // A user per algorithm: auth stores the hash it is configured for.
      const credentials = {
        email: `bench-${randomBytes(4).toString('hex')}@example.com`,
        password: `Bench-${randomBytes(18).toString('base64url')}`,
      };
      console.log(`timing one ${algorithm.label} verify on the idle machine...`);
      const idleHashSeconds = await idleVerifySeconds(algorithm);
      const { service, hashes, window } = await benchService(environment.env, algorithm, credentials);
      const baseline = await benchBaseline(algorithm, credentials);
      runs.push({ algorithm: algorithm.label, idleHashSeconds, hashes, service, baseline });
      windows.push(window);
    }
    printProfile(windows);

    const results = { machine, settings, runs };
    console.log(`\n${textTable(resultRows(results))}\n\n${textTable(boundRows(results))}\n`);
    writeDocSection(docPath, 'auth', authSection(results));
  } finally {
    await environment.close();
  }
}

/** The real service from its build, configured as deployed except for the hash and the limits. */
async function benchService(
  env: Record<string, string>,
  algorithm: BenchAlgorithm,
  credentials: Credentials,
): Promise<{ service: Measured; hashes: HashDelta; window: ProfileWindow }> {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const child = await startChild({
    name: 'auth',
    args: [...profilerArgs(), 'dist/index.js'],
    cwd: appDir,
    env: {
      ...env,
      NODE_ENV: 'production', // as in infra/k8s/base/config/common.env
      LOG_LEVEL: 'info',
      DATABASE_POOL_MAX: '10', // the service default (the test environment uses 5)
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      ...algorithm.env,
      HASH_POOL_SIZE: String(settings.hashPoolSize),
      HASH_QUEUE_LIMIT: String(settings.hashQueueLimit),
      RATE_LIMIT_PER_MINUTE: HUGE,
      AUTH_RATE_LIMIT_PER_MINUTE: HUGE,
      AUTH_IDENTIFIER_RATE_LIMIT_PER_MINUTE: HUGE,
      LOCKOUT_THRESHOLD: HUGE,
      LOCKOUT_IP_THRESHOLD: HUGE,
    },
    readyUrl: `http://127.0.0.1:${port}/ready`,
  });
  try {
    await register(`http://127.0.0.1:${port}`, credentials);
    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    const spec = loginLoad(`http://127.0.0.1:${port}/login`, credentials);
    console.log(
      `auth POST /login (${algorithm.label}): ${settings.warmupSeconds} s warm-up, ${settings.measureSeconds} s measured...`,
    );
    await warmUp(child, { ...spec, durationSeconds: settings.warmupSeconds });
    const before = await scrapeHashMetrics(metricsUrl);
    const service = await measure(child, spec);
    const hashes = hashDelta(before, await scrapeHashMetrics(metricsUrl));
    return {
      service,
      hashes,
      window: { fromMs: service.startedAt - child.startedAt, toMs: service.finishedAt - child.startedAt },
    };
  } finally {
    await child.stop();
  }
}

/** node:http + one verify of the same hash at the same concurrency: the "no framework" ceiling. */
async function benchBaseline(algorithm: BenchAlgorithm, credentials: Credentials): Promise<Measured> {
  const port = await freePort();
  const child = await startChild({
    name: 'auth-baseline',
    args: ['--import', tsxImport(), 'bench/baseline-server.ts'],
    cwd: appDir,
    env: {
      PORT: String(port),
      // The service gives libuv max(4, pool + 2) threads (src/index.ts); the same here.
      UV_THREADPOOL_SIZE: String(Math.max(4, settings.hashPoolSize + 2)),
      BASELINE_ALGORITHM: algorithm.name,
      BASELINE_PASSWORD: credentials.password,
    },
    readyUrl: `http://127.0.0.1:${port}/`,
  });
  try {
    const spec = loginLoad(`http://127.0.0.1:${port}/login`, credentials);
    console.log(
      `baseline (${algorithm.label}): ${settings.warmupSeconds} s warm-up, ${settings.measureSeconds} s measured...`,
    );
    await warmUp(child, { ...spec, durationSeconds: settings.warmupSeconds });
    return await measure(child, spec);
  } finally {
    await child.stop();
  }
}

function loginLoad(url: string, credentials: Credentials): LoadSpec {
  return {
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
    connections: settings.connections,
    durationSeconds: settings.measureSeconds,
  };
}

async function register(baseUrl: string, credentials: Credentials): Promise<void> {
  const response = await fetch(`${baseUrl}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...credentials, displayName: 'Bench' }),
  });
  if (response.status !== 201)
    throw new Error(`POST /register answered ${response.status}: ${await response.text()}`);
}

await main();
