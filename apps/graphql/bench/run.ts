// pnpm bench (apps/graphql): GraphQL `{ me }` through the gateway (Koa + Yoga, then users over gRPC)
// against REST GET /profile on users itself, the same answer by the two doors, in the same run.
// Prints a table and rewrites this bench's section of docs/benchmarks.md.
import { fileURLToPath } from 'node:url';
import {
  announceMachine,
  busyWarning,
  fmt,
  freePort,
  isolatedEnvironment,
  markdownTable,
  measure,
  startChild,
  textTable,
  warmUp,
  writeDocSection,
  type LoadSpec,
  type Measured,
  type RunningChild,
  type Row,
} from '@platform/benchkit';
import { createOrm } from '@platform/db';
import { seedUser } from '@platform/testkit';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const usersDir = fileURLToPath(new URL('../../users', import.meta.url));
const docPath = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));

const connections = 32;
const warmupSeconds = 3;
const measureSeconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = 2;

interface Target {
  label: string;
  child: RunningChild;
  load: LoadSpec;
}

async function main(): Promise<void> {
  const machine = await announceMachine('graphql bench');
  const environment = await isolatedEnvironment();
  const children: RunningChild[] = [];
  try {
    const env: Record<string, string> = {
      ...environment.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_POOL_MAX: '10',
      RATE_LIMIT_PER_MINUTE: '1000000000',
    };
    const orm = await createOrm({ url: env.DATABASE_URL ?? '', poolMax: 1 });
    const token = (await seedUser({ orm, tokens: environment.tokens })).accessToken;
    await orm.close(true);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const [usersPort, usersMetrics, grpcPort, gatewayPort, gatewayMetrics] = await Promise.all(
      Array.from({ length: 5 }, () => freePort()),
    );
    const users = await startChild({
      name: 'users',
      args: ['dist/index.js'],
      cwd: usersDir,
      env: {
        ...env,
        PORT: String(usersPort),
        METRICS_PORT: String(usersMetrics),
        GRPC_PORT: String(grpcPort),
      },
      readyUrl: `http://127.0.0.1:${usersPort}/ready`,
    });
    children.push(users);
    const gateway = await startChild({
      name: 'graphql',
      args: ['dist/index.js'],
      cwd: appDir,
      env: {
        ...env,
        PORT: String(gatewayPort),
        METRICS_PORT: String(gatewayMetrics),
        USERS_GRPC_URL: `http://127.0.0.1:${grpcPort}`,
      },
      readyUrl: `http://127.0.0.1:${gatewayPort}/ready`,
    });
    children.push(gateway);

    const base = { headers, connections, durationSeconds: measureSeconds };
    const targets: Target[] = [
      {
        label: 'REST GET /profile (users)',
        child: users,
        load: { ...base, url: `http://127.0.0.1:${usersPort}/profile`, method: 'GET' },
      },
      {
        label: 'GraphQL { me } (gateway -> users gRPC)',
        child: gateway,
        load: {
          ...base,
          url: `http://127.0.0.1:${gatewayPort}/graphql`,
          method: 'POST',
          body: JSON.stringify({ query: '{ me { id email displayName role createdAt } }' }),
        },
      },
    ];
    for (const target of targets) {
      const probe = await fetch(target.load.url, {
        method: target.load.method,
        headers,
        ...(target.load.body === undefined ? {} : { body: target.load.body }),
      });
      const text = await probe.text();
      if (probe.status !== 200 || text.includes('"errors"')) throw new Error(`${target.label}: ${text}`);
      await warmUp(target.child, { ...target.load, durationSeconds: warmupSeconds });
    }
    const runs: (Measured & { label: string; round: number })[] = [];
    for (let round = 1; round <= rounds; round++)
      for (const target of targets) {
        console.log(`${target.label}: round ${round}, ${measureSeconds} s measured...`);
        runs.push({ ...(await measure(target.child, target.load)), label: target.label, round });
      }
    const rows: Row[] = [
      ['run', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
      ...runs.map((run) => [
        `${run.label}, round ${run.round}`,
        fmt(run.okPerSecond, 0),
        fmt(run.p50Ms, 2),
        fmt(run.p99Ms, 2),
        String(run.non2xx),
        String(run.errors),
      ]),
    ];
    console.log(`\n${textTable(rows)}\n`);
    writeDocSection(
      docPath,
      'graphql',
      [
        '### GraphQL `me` against REST `GET /profile`',
        '',
        `${machine.date}, ${connections} connections, ${measureSeconds} s per run, ${rounds} rounds,` +
          ' NODE_ENV=production. The gateway answers from users over gRPC (one `GetProfile` call per' +
          ' query), so its numbers include a second process and a hop that REST does not have.',
        'Command: `pnpm --filter @platform/graphql bench` after `pnpm build`.',
        '',
        busyWarning(machine) ?? '',
        '',
        markdownTable(rows),
      ].join('\n'),
    );
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await environment.close();
  }
}

await main();
