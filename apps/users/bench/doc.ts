import {
  busyWarning,
  describeMachine,
  stealWarning,
  type MachineInfo,
  fmt,
  markdownTable,
  pct,
  type Row,
} from '@platform/benchkit';
import { combined, type TargetRun, type Timing } from './targets.js';

export const SERVICE = 'users GET /profile';
export const BASELINE = 'baseline node:http + jwt.verify';
export const FASTIFY = 'baseline Fastify, same work';

export interface ProfileResults {
  machine: MachineInfo;
  timing: Timing;
  runs: TargetRun[];
}

/**
 * Issue 17's targets against the Fastify service doing the same work: at least its requests per
 * second, a p99 at most 1.2× its p99, and at most 250 µs of server CPU per request.
 */
const TARGET = 1.0;
const TARGET_P99 = 1.2;
const TARGET_CPU_US = 250;

function codes(run: TargetRun): string {
  const others = Object.entries(run.statusCodes).filter(([code]) => !code.startsWith('2'));
  return others.length ? others.map(([code, n]) => `${n}×${code}`).join(', ') : '0';
}

/** /profile ÷ a baseline (the bare server unless said) over all rounds, and round by round. */
export function ratios(runs: TargetRun[], baseline: string = BASELINE) {
  const overall = combined(runs, SERVICE).okPerSecond / combined(runs, baseline).okPerSecond;
  const rounds = [...new Set(runs.map((r) => r.round))].map((round) => {
    const inRound = runs.filter((r) => r.round === round);
    return combined(inRound, SERVICE).okPerSecond / combined(inRound, baseline).okPerSecond;
  });
  return { overall, rounds };
}

/** The worst p99 of each label's rounds, service over Fastify. */
function p99Ratio(runs: TargetRun[]): number {
  const worst = (label: string) => Math.max(...runs.filter((r) => r.label === label).map((r) => r.p99Ms));
  return worst(SERVICE) / worst(FASTIFY);
}

export function resultRows({ runs }: ProfileResults): Row[] {
  const row = (run: TargetRun): Row => [
    `${run.label}, round ${run.round}`,
    fmt(run.okPerSecond, 0),
    fmt(run.p50Ms, 2),
    fmt(run.p99Ms, 2),
    String(run.ok),
    codes(run),
    String(run.errors),
    fmt(run.serverCores, 2),
    fmt(run.serverCpuMsPerOk === undefined ? undefined : run.serverCpuMsPerOk * 1000, 0),
    fmt(run.loadCores, 2),
    fmt(run.otherCores, 2),
    pct(run.machineSteal),
  ];
  const { overall, rounds } = ratios(runs);
  const fastify = ratios(runs, FASTIFY);
  const header = [
    'run',
    'req/s',
    'p50 ms',
    'p99 ms',
    '2xx',
    'non-2xx',
    'errors',
    'server cores',
    'server CPU µs/req',
    'load gen cores',
    'other cores',
    'steal',
  ];
  // Summary rows fill only the columns that add up over rounds; the rest stay empty.
  const summary = (name: string, rate: string, cpu: string): Row =>
    header.map((_, i) => (i === 0 ? name : i === 1 ? rate : i === 8 ? cpu : ''));
  const total = (label: string): Row => {
    const c = combined(runs, label);
    return summary(`${label}, all rounds`, fmt(c.okPerSecond, 0), fmt(c.cpuUsPerOk, 0));
  };
  const perRound = rounds.map((x) => `${fmt(x, 2)}×`).join(', ');
  return [
    header,
    ...runs.map(row),
    total(SERVICE),
    total(FASTIFY),
    total(BASELINE),
    summary(
      '/profile ÷ Fastify',
      `${fmt(fastify.overall, 2)}× (rounds: ${fastify.rounds.map((x) => `${fmt(x, 2)}×`).join(', ')})`,
      '',
    ),
    summary('/profile ÷ bare node:http', `${fmt(overall, 2)}× (rounds: ${perRound})`, ''),
  ];
}

export function usersSection(r: ProfileResults): string {
  const t = r.timing;
  const { overall } = ratios(r.runs);
  const fastify = ratios(r.runs, FASTIFY).overall;
  const p99 = p99Ratio(r.runs);
  const cpu = combined(r.runs, SERVICE).cpuUsPerOk;
  const met = (ok: boolean) => (ok ? 'met' : 'missed');
  return `## users: GET /profile against a lean Fastify service and a bare JWT-verify server

Measured ${r.machine.date} on ${describeMachine(r.machine)}.
Command: \`pnpm bench\` at the root (turbo builds first, then runs each app's bench one at a time), or
\`pnpm --filter @platform/users bench\` after \`pnpm build\`.
${quote(busyWarning(r.machine))}${quote(stealWarning(r.runs.map((run) => run.machineSteal)))}
**Result: /profile serves ${fmt(fastify, 2)}× the Fastify service's requests per second (target >= ${TARGET}×: ${met(fastify >= TARGET)}), with ${fmt(p99, 2)}× its p99 (target <= ${TARGET_P99}×: ${met(p99 <= TARGET_P99)}) and ${fmt(cpu, 0)} µs of server CPU per request (target <= ${TARGET_CPU_US}: ${met(cpu <= TARGET_CPU_US)}); against the bare JWT-verify server it is ${fmt(overall, 2)}×.**

${markdownTable(resultRows(r))}

Setup. The service is the built \`apps/users/dist/index.js\` in a process of its own (the load
generator, autocannon, runs in the bench process, so they never share an event loop), configured as
deployed (\`NODE_ENV=production\`, \`LOG_LEVEL=info\`, logs to a file) except \`RATE_LIMIT_PER_MINUTE=10^9\`,
with a fresh database, Redis prefix and AMQP namespace, all removed afterwards. One user and session
are seeded (\`seedUser\` from \`@platform/testkit\`) and its access token is sent by ${t.connections}
keep-alive connections, back to back. The baseline (\`apps/users/bench/baseline-server.ts\`, also its
own process) is \`node:http\` plus the same token check (\`AccessTokens.verify\` from
\`@platform/tokens\`: EdDSA pinned, key by kid, issuer, audience, claims) answering a small JSON; nothing
else. The Fastify baseline (\`apps/users/bench/fastify-baseline-server.ts\`) is what a team would write
by hand for the same answer: Fastify 5 with pino (one log line per request), the same token check and
denylist \`MGET\`, a rate-limit count (\`INCR\` + \`PEXPIRE\` in one round trip), one \`SELECT\` of the user
with \`pg\` and the public user as JSON; no request log to AMQP, no metrics, no tracing. All three are
started and warmed up (${t.warmupSeconds} s of load each, not counted), then measured
${t.rounds} times for ${t.measureSeconds} s each, alternating, so that drift on the machine hits both alike.

How to read it.

- Each /profile request does, besides the token check: the denylist lookup in the process's
  in-memory mirror (kept current over Redis pub/sub; Redis is asked only while the mirror is not
  current), the global rate limit (one Lua script on a Redis sorted set), the profile from the
  in-process cache that account events clear (one \`SELECT\` on a miss; the seeded user is a hit
  after the first request), Koa's middleware chain and router, one pino log line, one histogram
  sample and one AMQP publish of the request log (confirmed by the broker). The Fastify baseline
  asks Redis for the denylist and PostgreSQL for the user on every request, and ships no request
  log; the bare baseline does none of it.
- _server cores_ is the server process's CPU seconds per second; _server CPU µs/req_ the same per
  successful request. It depends much less on the rest of the machine than req/s does, so it is the
  number to compare across machines and changes. _load gen cores_ is autocannon's share, _other
  cores_ everything else on the machine (PostgreSQL, Redis and RabbitMQ working for /profile, and any
  unrelated work, which should be near 0 for the baseline); _steal_ is the share of CPU time the
  hypervisor gave to other guests, which makes a run slower without any change in the code.
- On this machine the load generator, the server, PostgreSQL, Redis and RabbitMQ share
  ${r.machine.cores} cores. The service is one Node process: _server cores_ near 1 means its event loop is
  saturated, and its req/s is then roughly 10^6 ÷ its CPU µs per request. The baseline's req/s is
  capped as much by autocannon's own CPU as by the server.
- p50/p99 are client-side latencies of 2xx answers with ${t.connections} requests always in flight, so they
  mostly measure queueing: latency ≈ connections ÷ throughput.
`;
}

/** A Markdown blockquote paragraph, or nothing. */
function quote(text: string | undefined): string {
  return text ? `\n> ${text}\n` : '';
}
