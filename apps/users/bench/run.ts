// pnpm bench (apps/users): authenticated GET /profile against a bare node:http server doing the same
// JWT verification. Prints a table and rewrites this bench's section of docs/benchmarks.md.
// Optional: BENCH_CPU_PROF=<dir> profiles the service; BENCH_VARIATIONS=1 also measures what each
// part of the request path costs (about 2 more minutes).
import { fileURLToPath } from 'node:url';
import { createOrm } from '@platform/db';
import { seedUser } from '@platform/testkit';
import { AccessTokens } from '@platform/tokens';
import { usersConfigSchema, type UsersConfig } from '../src/config.js';
import { isolatedEnvironment } from './lib/backing.js';
import { tsxImport } from './lib/child.js';
import { newestProfile, summarizeProfile } from './lib/cpu-profile.js';
import { describeMachine, machineInfo } from './lib/machine.js';
import { freePort } from './lib/ports.js';
import { textTable, writeDocSection } from './lib/report.js';
import { benchServer, type ServerRun, type Timing } from './bench-server.js';
import { resultRows, usersSection } from './doc.js';
import { runVariations, variationRows, variationsSection } from './variations.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const docPath = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));

/** Fixed so runs compare; BENCH_SECONDS shortens the measured run while working on the bench. */
const timing: Timing = {
  connections: 32,
  warmupSeconds: 3,
  measureSeconds: Number(process.env.BENCH_SECONDS ?? 12),
};

async function main(): Promise<void> {
  const machine = machineInfo();
  console.log(`users bench on ${describeMachine(machine)}`);
  const environment = await isolatedEnvironment();
  try {
    const port = await freePort();
    const env: Record<string, string> = {
      ...environment.env,
      NODE_ENV: 'production', // as in infra/k8s/base/config/common.env
      LOG_LEVEL: 'info',
      DATABASE_POOL_MAX: '10', // the service default (the test environment uses 5)
      METRICS_PORT: String(await freePort()),
      RATE_LIMIT_PER_MINUTE: '1000000000',
    };
    const config = usersConfigSchema.parse({ ...env, PORT: String(port) });
    const token = await seedToken(config);

    const service = await benchServer(
      'users GET /profile',
      {
        name: 'users',
        args: [...profilerArgs(), 'dist/index.js'],
        cwd: appDir,
        env: { ...env, PORT: String(port) },
        readyUrl: `http://127.0.0.1:${port}/ready`,
      },
      `http://127.0.0.1:${port}/profile`,
      token,
      timing,
    );
    const baseline = await benchBaseline(config, token);
    printProfile(service);

    const results = { machine, settings: timing, service, baseline };
    console.log(`\n${textTable(resultRows(results))}\n`);
    writeDocSection(docPath, 'users', usersSection(results));
    if (process.env.BENCH_VARIATIONS) {
      const variations = await runVariations(env, token, appDir, { ...timing, measureSeconds: 8 });
      console.log(`\n${textTable(variationRows(variations, baseline))}\n`);
      writeDocSection(docPath, 'users-variations', variationsSection(variations, baseline, machine.date));
    }
    console.log(`wrote the users section of ${docPath}`);
  } finally {
    await environment.close();
  }
}

/** node:http + the same jsonwebtoken.verify: the "no framework" ceiling. */
async function benchBaseline(config: UsersConfig, token: string): Promise<ServerRun> {
  const port = await freePort();
  return benchServer(
    'baseline node:http + jwt.verify',
    {
      name: 'users-baseline',
      args: ['--import', tsxImport(), 'bench/baseline-server.ts'],
      cwd: appDir,
      env: {
        PORT: String(port),
        JWT_SECRET: config.JWT_SECRET,
        JWT_ISSUER: config.JWT_ISSUER,
        JWT_AUDIENCE: config.JWT_AUDIENCE,
      },
      readyUrl: `http://127.0.0.1:${port}/health`,
    },
    `http://127.0.0.1:${port}/profile`,
    token,
    timing,
  );
}

/** A user with a live session and an access token for it, as a login would leave behind. */
async function seedToken(config: UsersConfig): Promise<string> {
  const orm = await createOrm({ url: config.DATABASE_URL, poolMax: 1 });
  try {
    const tokens = new AccessTokens({
      secret: config.JWT_SECRET,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    });
    return (await seedUser({ orm, tokens })).accessToken;
  } finally {
    await orm.close(true);
  }
}

/** BENCH_CPU_PROF=<dir> runs the service under V8's sampling profiler (slower: read shares only). */
function profilerArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [];
}

/** The service's profile over the measured run only (start-up and warm-up left out). */
function printProfile(run: ServerRun): void {
  const dir = process.env.BENCH_CPU_PROF;
  const file = dir && newestProfile(dir);
  if (!file) return;
  const { byOwner, bySelf, byTotal } = summarizeProfile(
    file,
    run.startedAt - run.childStartedAt,
    run.finishedAt - run.childStartedAt,
  );
  console.log(`\nwhere the service's CPU went during the measured run (${file}):`);
  for (const table of [byOwner, bySelf, byTotal]) console.log(`\n${textTable(table)}`);
}

await main();
