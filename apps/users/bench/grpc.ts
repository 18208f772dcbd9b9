// pnpm bench (apps/users), second part: the same work, a batch of 20 users' cards by id, asked as a
// gRPC unary call (`UsersService/GetUsers`, what realtime and the GraphQL gateway use) and as a plain
// HTTP/JSON call (`GET /people?ids=...`, what a browser uses), of one users process in the same run.
// Both doors authenticate the same access token and end in the same `UserDirectoryService.cards` (one
// SELECT); each is driven by the client a Node service would use for it: our gRPC client
// (`createGrpcClient`, HTTP/2, one connection) and fetch (HTTP/1.1 keep-alive, up to one connection
// per call in flight). BENCH_CPU_PROF=<dir> profiles users. Prints a table and rewrites this bench's section of docs/benchmarks.md.
import { fileURLToPath } from 'node:url';
import {
  announceMachine,
  busyWarning,
  fmt,
  freePort,
  isolatedEnvironment,
  markdownTable,
  measure,
  printProfilesByLabel,
  loadCells,
  loadHeader,
  profilerArgs,
  startChild,
  textTable,
  warmUp,
  writeDocSection,
  type CallSpec,
  type Measured,
  type Row,
} from '@platform/benchkit';
import { createOrm } from '@platform/db';
import { asCaller, createGrpcClient } from '@platform/grpc';
import { UsersService } from '@platform/proto';
import { seedUser } from '@platform/testkit';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const docPath = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));

const BATCH = 20;
const concurrency = 32;
const warmupSeconds = 3;
const measureSeconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = 2;

interface Door {
  label: string;
  load: CallSpec;
}

async function main(): Promise<void> {
  const machine = await announceMachine('users gRPC bench');
  const environment = await isolatedEnvironment();
  const orm = await createOrm({ url: environment.env.DATABASE_URL ?? '', poolMax: 2 });
  const seeded = [];
  for (let i = 0; i < BATCH; i++) seeded.push(await seedUser({ orm, tokens: environment.tokens }));
  await orm.close(true);
  const ids = seeded.map((user) => user.id);
  const token = seeded[0]?.accessToken ?? '';

  const [port, metricsPort, grpcPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const users = await startChild({
    name: 'users',
    args: [...profilerArgs(), 'dist/index.js'],
    cwd: appDir,
    env: {
      ...environment.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      DATABASE_POOL_MAX: '10',
      RATE_LIMIT_PER_MINUTE: '1000000000',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      GRPC_PORT: String(grpcPort),
    },
    readyUrl: `http://127.0.0.1:${port}/ready`,
  });
  const runs: (Measured & { label: string; round: number })[] = [];
  try {
    const client = createGrpcClient(UsersService, { url: `http://127.0.0.1:${grpcPort}`, timeoutMs: 10_000 });
    const callOptions = asCaller(token);
    const url = `http://127.0.0.1:${port}/people?ids=${ids.join(',')}`;
    const headers = { authorization: `Bearer ${token}` };
    const base = { concurrency, durationSeconds: measureSeconds };
    const doors: Door[] = [
      {
        label: `gRPC GetUsers (${BATCH} ids)`,
        load: {
          ...base,
          call: async () => (await client.getUsers({ ids }, callOptions)).users.length === BATCH,
        },
      },
      {
        label: `HTTP/JSON GET /people (${BATCH} ids)`,
        load: {
          ...base,
          call: async () => {
            const response = await fetch(url, { headers });
            const body = (await response.json()) as { people?: unknown[] };
            return response.status === 200 && body.people?.length === BATCH;
          },
        },
      },
    ];
    for (const door of doors) {
      if (!(await door.load.call())) throw new Error(`${door.label}: wrong answer`);
      await warmUp(users, { ...door.load, durationSeconds: warmupSeconds });
    }
    for (let round = 1; round <= rounds; round++)
      for (const door of round % 2 === 1 ? doors : [...doors].reverse()) {
        console.log(`${door.label}: round ${round}, ${measureSeconds} s measured...`);
        runs.push({ ...(await measure(users, door.load)), label: door.label, round });
      }
  } finally {
    await users.stop(); // writes the profile, when asked for one
    await environment.close();
  }
  printProfilesByLabel(runs, users);
  report(machine, runs);
}

function report(
  machine: Awaited<ReturnType<typeof announceMachine>>,
  runs: (Measured & { label: string; round: number })[],
): void {
  const micros = (cores: number | undefined, perSecond: number) =>
    cores === undefined ? 'n/a' : fmt((cores / perSecond) * 1e6, 0);
  const rows: Row[] = [
    [...loadHeader('calls'), 'server CPU µs/call', 'caller CPU µs/call'],
    ...runs.map((run) => [
      ...loadCells(run),
      micros(run.serverCores, run.okPerSecond),
      micros(run.loadCores, run.okPerSecond),
    ]),
  ];
  console.log(`\n${textTable(rows)}\n`);
  writeDocSection(
    docPath,
    'users-grpc',
    [
      '## users: gRPC `GetUsers` against HTTP/JSON `GET /people`, the same work',
      '',
      `${machine.date}, ${concurrency} calls in flight, ${measureSeconds} s per run, ${rounds} rounds` +
        ` (the order alternates), NODE_ENV=production, ${BATCH} existing users asked for by id.`,
      'Command: `pnpm --filter @platform/users bench` after `pnpm build` (its second part, `bench/grpc.ts`).',
      '',
      busyWarning(machine) ?? '',
      '',
      markdownTable(rows),
    ].join('\n'),
  );
}

await main();
