// pnpm bench (apps/users): authenticated GET /profile against a bare node:http server doing the same
// JWT verification. Prints a table and rewrites this bench's section of docs/benchmarks.md.
// Optional: BENCH_CPU_PROF=<dir> profiles the service; BENCH_VARIATIONS=1 also measures what each
// part of the request path costs (about 3 more minutes).
import { fileURLToPath } from 'node:url';
import {
  announceMachine,
  freePort,
  isolatedEnvironment,
  printProfile,
  profilerArgs,
  textTable,
  tsxImport,
  writeDocSection,
} from '@platform/benchkit';
import { createOrm } from '@platform/db';
import { seedUser } from '@platform/testkit';
import type { AccessTokens } from '@platform/tokens';
import { usersConfigSchema, type UsersConfig } from '../src/config.js';
import { BASELINE, FASTIFY, resultRows, SERVICE, usersSection } from './doc.js';
import {
  measureRounds,
  startTarget,
  stopTargets,
  type Target,
  type Timing,
  type TargetRun,
} from './targets.js';
import { runVariations, variationRows, variationsSection } from './variations.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const docPath = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));

/** Fixed so runs compare; BENCH_SECONDS shortens the measured runs while working on the bench. */
const timing: Timing = {
  connections: 32,
  warmupSeconds: 3,
  measureSeconds: Number(process.env.BENCH_SECONDS ?? 12),
  rounds: 2,
};

async function main(): Promise<void> {
  const machine = await announceMachine('users bench');
  const environment = await isolatedEnvironment();
  try {
    const env: Record<string, string> = {
      ...environment.env,
      NODE_ENV: 'production', // as in infra/k8s/base/config/common.env
      LOG_LEVEL: 'info',
      DATABASE_POOL_MAX: '10', // the service default (the test environment uses 5)
      METRICS_PORT: String(await freePort()),
      RATE_LIMIT_PER_MINUTE: '1000000000',
    };
    const config = usersConfigSchema.parse({ ...env, PORT: '0' });
    const token = await seedToken(config, environment.tokens);

    const targets: Target[] = [];
    let runs: TargetRun[];
    try {
      targets.push(await startService(env, token));
      targets.push(await startFastify(env, config, token));
      targets.push(await startBaseline(config, token));
      runs = await measureRounds(targets, timing.rounds);
    } finally {
      await stopTargets(targets);
    }
    printProfile(
      runs
        .filter((r) => r.label === SERVICE)
        .map((r) => ({ fromMs: r.startedAt - r.childStartedAt, toMs: r.finishedAt - r.childStartedAt })),
    );

    const results = { machine, timing, runs };
    console.log(`\n${textTable(resultRows(results))}\n`);
    writeDocSection(docPath, 'users', usersSection(results));
    if (process.env.BENCH_VARIATIONS) {
      const variations = await runVariations(env, token, appDir, timing);
      console.log(`\n${textTable(variationRows(variations, runs))}\n`);
      writeDocSection(docPath, 'users-variations', variationsSection(variations, runs, machine.date));
    }
  } finally {
    await environment.close();
  }
}

/** The real service from its build, configured as deployed except for the rate limit. */
async function startService(env: Record<string, string>, token: string): Promise<Target> {
  const port = await freePort();
  return startTarget(
    SERVICE,
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
}

/** node:http + the same token check (AccessTokens.verify): the "no framework" ceiling. */
async function startBaseline(config: UsersConfig, token: string): Promise<Target> {
  const port = await freePort();
  return startTarget(
    BASELINE,
    {
      name: 'users-baseline',
      args: ['--import', tsxImport(), 'bench/baseline-server.ts'],
      cwd: appDir,
      env: {
        PORT: String(port),
        JWT_ALGORITHM: config.JWT_ALGORITHM,
        JWT_PUBLIC_KEYS: JSON.stringify({ keys: config.JWT_PUBLIC_KEYS.map((key) => key.publicJwk) }),
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

/** The Fastify service doing the same work as GET /profile (fastify-baseline-server.ts). */
async function startFastify(
  env: Record<string, string>,
  config: UsersConfig,
  token: string,
): Promise<Target> {
  const port = await freePort();
  return startTarget(
    FASTIFY,
    {
      name: 'users-fastify',
      args: ['--import', tsxImport(), 'bench/fastify-baseline-server.ts'],
      cwd: appDir,
      env: {
        PORT: String(port),
        DATABASE_URL: config.DATABASE_URL,
        REDIS_URL: config.REDIS_URL,
        REDIS_PREFIX: config.REDIS_PREFIX,
        RATE_LIMIT_PER_MINUTE: env.RATE_LIMIT_PER_MINUTE ?? '1000000000',
        JWT_ALGORITHM: config.JWT_ALGORITHM,
        JWT_PUBLIC_KEYS: JSON.stringify({ keys: config.JWT_PUBLIC_KEYS.map((key) => key.publicJwk) }),
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
async function seedToken(config: UsersConfig, tokens: AccessTokens): Promise<string> {
  const orm = await createOrm({ url: config.DATABASE_URL, poolMax: 1 });
  try {
    return (await seedUser({ orm, tokens })).accessToken;
  } finally {
    await orm.close(true);
  }
}

await main();
