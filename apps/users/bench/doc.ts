import type { MachineInfo } from './lib/machine.js';
import { describeMachine } from './lib/machine.js';
import type { Measured } from './lib/measure.js';
import { fmt, markdownTable, pct, type Row } from './lib/report.js';

export interface BenchSettings {
  connections: number;
  warmupSeconds: number;
  measureSeconds: number;
}

export interface ProfileResults {
  machine: MachineInfo;
  settings: BenchSettings;
  service: Measured;
  baseline: Measured;
}

/** The target: /profile at no less than 0.8× the bare JWT-verify server. */
const TARGET = 0.8;

function codes(run: Measured): string {
  const others = Object.entries(run.statusCodes).filter(([code]) => !code.startsWith('2'));
  return others.length ? others.map(([code, n]) => `${n}×${code}`).join(', ') : '0';
}

export function resultRows(r: ProfileResults): Row[] {
  const row = (name: string, run: Measured): Row => [
    name,
    fmt(run.okPerSecond, 0),
    fmt(run.p50Ms, 2),
    fmt(run.p99Ms, 2),
    String(run.ok),
    codes(run),
    String(run.errors),
    fmt(run.serverCores, 2),
    fmt(run.serverCpuMsPerOk === undefined ? undefined : run.serverCpuMsPerOk * 1000, 0),
    pct(run.machineBusy),
  ];
  const ratio = r.service.okPerSecond / r.baseline.okPerSecond;
  return [
    ['run', 'req/s', 'p50 ms', 'p99 ms', '2xx', 'non-2xx', 'errors', 'server cores', 'server CPU µs/req', 'machine busy'],
    row('users GET /profile', r.service),
    row('baseline node:http + jwt.verify', r.baseline),
    ['/profile ÷ baseline', `${fmt(ratio, 2)}×`, '', '', '', '', '', '', '', ''],
  ];
}

export function usersSection(r: ProfileResults): string {
  const s = r.settings;
  const ratio = r.service.okPerSecond / r.baseline.okPerSecond;
  return `## users: GET /profile against a bare JWT-verify server

Measured ${r.machine.date} on ${describeMachine(r.machine)}.
Command: \`pnpm bench\` at the root (turbo builds first, then runs each app's bench one at a time), or
\`pnpm --filter @platform/users bench\` after \`pnpm build\`.

**Result: /profile serves ${fmt(ratio, 2)}× the baseline's requests per second (target >= ${TARGET}×: ${ratio >= TARGET ? 'met' : 'missed'}).**

${markdownTable(resultRows(r))}

Setup. The service is the built \`apps/users/dist/index.js\` in a process of its own (the load
generator, autocannon, runs in the bench process, so they never share an event loop), configured as
deployed (\`NODE_ENV=production\`, \`LOG_LEVEL=info\`, logs to a file) except \`RATE_LIMIT_PER_MINUTE=10^9\`,
with a fresh database, Redis prefix and AMQP namespace, all removed afterwards. One user and session
are seeded (\`seedUser\` from \`@platform/testkit\`) and its access token is sent by ${s.connections}
keep-alive connections, back to back: ${s.warmupSeconds} s warm-up (not counted), then ${s.measureSeconds} s measured.
The baseline (\`apps/users/bench/baseline-server.ts\`, also its own process) is \`node:http\` plus the
same token check (\`jsonwebtoken.verify\` with a prebuilt \`crypto.createSecretKey\` KeyObject, HS256
pinned, issuer and audience) answering a small JSON; nothing else.

How to read it.
- Each /profile request does, besides the token check: a Redis \`MGET\` on the denylist (token and
  session), the global rate limit (a Lua script on a Redis sorted set), a PostgreSQL read of the user
  (MikroORM, in a request context), Koa's middleware chain and router, one pino log line and one
  AMQP publish of the request log (confirmed by the broker). The baseline does none of it, so the
  ratio is the price of all of that together.
- *server cores* is the server process's CPU seconds per second; *server CPU µs/req* the same per
  successful request, which depends little on how busy the machine is: it is the cleanest measure of
  what the service itself spends per request. *machine busy* is the share of all cores busy, every
  process counted.
- On this machine the load generator, the server, PostgreSQL, Redis and RabbitMQ share
  ${r.machine.cores} cores, and machine busy near 100% means the cores were the limit: the baseline is capped
  partly by autocannon's own CPU, and /profile additionally pays for the Redis, PostgreSQL and
  RabbitMQ work on the same cores. Throughput here is therefore lower than on a host where those run
  elsewhere; the CPU cost per request carries over better than the requests per second.
- p50/p99 are client-side latencies of 2xx answers with ${s.connections} requests always in flight, so they
  mostly measure queueing: latency ≈ connections ÷ throughput.
`;
}
