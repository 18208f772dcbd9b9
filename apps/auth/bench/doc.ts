import {
  type MachineInfo,
  busyWarning,
  describeMachine,
  stealWarning,
  type Measured,
  fmt,
  markdownTable,
  pct,
  type Row,
} from '@platform/benchkit';
import type { HashDelta } from './hashing.js';

export interface BenchSettings {
  bcryptCost: number;
  hashPoolSize: number;
  hashQueueLimit: number;
  connections: number;
  warmupSeconds: number;
  measureSeconds: number;
}

export interface LoginResults {
  machine: MachineInfo;
  settings: BenchSettings;
  /** Mean bcrypt.compare in the bench process before any load. */
  idleHashSeconds: number;
  /** The service's own hash histogram over the measured run. */
  hashes: HashDelta;
  service: Measured;
  baseline: Measured;
}

/** The target: logins at no less than 90% of what the hashing pool allows. */
const TARGET = 0.9;

function derived(r: LoginResults) {
  const bound = r.settings.hashPoolSize / r.hashes.meanSeconds;
  const idleBound = r.settings.hashPoolSize / r.idleHashSeconds;
  const ofBound = r.service.okPerSecond / bound;
  return { bound, idleBound, ofBound, met: ofBound >= TARGET };
}

function codes(run: Measured): string {
  const others = Object.entries(run.statusCodes).filter(([code]) => !code.startsWith('2'));
  return others.length ? others.map(([code, n]) => `${n}×${code}`).join(', ') : '0';
}

/** One row per system under test. */
export function resultRows(r: LoginResults): Row[] {
  const row = (name: string, run: Measured): Row => [
    name,
    fmt(run.okPerSecond),
    fmt(run.p50Ms),
    fmt(run.p99Ms),
    String(run.ok),
    codes(run),
    String(run.errors),
    fmt(run.serverCores, 2),
    fmt(run.serverCpuMsPerOk),
    fmt(run.loadCores, 2),
    fmt(run.otherCores, 2),
    pct(run.machineSteal),
  ];
  return [
    [
      'run',
      'logins/s',
      'p50 ms',
      'p99 ms',
      '2xx',
      'non-2xx',
      'errors',
      'server cores',
      'server CPU ms/login',
      'load gen cores',
      'other cores',
      'steal',
    ],
    row('auth POST /login', r.service),
    row('baseline node:http + bcrypt', r.baseline),
  ];
}

/** The hashing bound and how close each run came to it. */
export function boundRows(r: LoginResults): Row[] {
  const d = derived(r);
  const cost = r.settings.bcryptCost;
  return [
    ['quantity', 'value'],
    [
      `one bcrypt.compare at cost ${cost}, as the service timed it under load (auth_hash_duration_seconds)`,
      `${fmt(r.hashes.meanSeconds * 1000)} ms (mean of ${r.hashes.count})`,
    ],
    [`bound = HASH_POOL_SIZE (${r.settings.hashPoolSize}) / that`, `${fmt(d.bound)} logins/s`],
    [`auth login / bound (target >= ${pct(TARGET)})`, `${pct(d.ofBound)}: ${d.met ? 'met' : 'missed'}`],
    ['hashes refused with 503 during the run', String(r.hashes.rejected)],
    [
      `one bcrypt.compare at cost ${cost} on the idle machine (bench process, mean of 20)`,
      `${fmt(r.idleHashSeconds * 1000)} ms`,
    ],
    [
      'bound from the idle time; auth login / that; baseline / that',
      `${fmt(d.idleBound)} logins/s; ${pct(r.service.okPerSecond / d.idleBound)}; ${pct(r.baseline.okPerSecond / d.idleBound)}`,
    ],
    ['auth login / baseline', pct(r.service.okPerSecond / r.baseline.okPerSecond)],
  ];
}

/** This bench's section of docs/benchmarks.md. */
export function authSection(r: LoginResults): string {
  const s = r.settings;
  const d = derived(r);
  return `## auth: POST /login against the hashing bound

Measured ${r.machine.date} on ${describeMachine(r.machine)}.
Command: \`pnpm bench\` at the root (turbo builds first, then runs each app's bench one at a time), or
\`pnpm --filter @platform/auth bench\` after \`pnpm build\`.
${quote(busyWarning(r.machine))}${quote(stealWarning([r.service.machineSteal, r.baseline.machineSteal]))}
**Result: login runs at ${pct(d.ofBound)} of the hashing bound the service saw (target >= ${pct(TARGET)}: ${d.met ? 'met' : 'missed'}); against the idle-machine hash time it is ${pct(r.service.okPerSecond / d.idleBound)}.**

${markdownTable(resultRows(r))}

${markdownTable(boundRows(r))}

Setup. The service is the built \`apps/auth/dist/index.js\` in a process of its own (the load generator,
autocannon, runs in the bench process, so they never share an event loop), configured as deployed
(\`NODE_ENV=production\`, \`LOG_LEVEL=info\`, logs to a file) except: \`BCRYPT_COST=${s.bcryptCost}\` (the
service default is 12), \`HASH_POOL_SIZE=${s.hashPoolSize}\` (one slot per core, the default),
\`HASH_QUEUE_LIMIT=${s.hashQueueLimit}\` (more than the ${s.connections} connections, so the steady state never
answers 503) and every rate limit and lockout threshold at 10^9. It gets a fresh database, Redis prefix
and AMQP namespace, all removed afterwards. One user is registered through \`POST /register\`; then
${s.connections} keep-alive connections send \`POST /login\` with the right password back to back:
${s.warmupSeconds} s warm-up (not counted), then ${s.measureSeconds} s measured. The baseline is a bare
\`node:http\` server (\`apps/auth/bench/baseline-server.ts\`, also its own process) that parses the JSON
body and runs one \`bcrypt.compare\` at the same cost, under the same load, with as many libuv threads
as the service gives itself, but no slot limit, database, Redis, broker or logging.

How to read it.

- _Bound_ is what ${s.hashPoolSize} hashing slots deliver if they never sit idle: HASH_POOL_SIZE divided by the
  time of one compare. It uses the time the service itself measured during the run (the pool's
  \`auth_hash_duration_seconds\`, scraped from its metrics port before and after), because that is
  what a slot really cost under this load. The idle-machine time is shown too: under load every
  hash is slower, because the same ${r.machine.cores} cores also run the service's event loop, PostgreSQL,
  Redis, RabbitMQ and autocannon.
- A login is one user lookup, one compare, a session and a refresh-token insert, a JWT signature,
  two Redis rate-limit scripts plus the global one, and two AMQP publishes (the event and the
  request log). Everything but the compare competes with the hashes for the cores, so _login / bound_
  is how little of the slots' time the rest of the request wastes.
- _server cores_ is the server process's CPU seconds per second (bcrypt threads included) and _server
  CPU ms/login_ the same per successful login; the difference between the two rows is what the
  service spends besides the compare. _load gen cores_ is autocannon's share, _other cores_
  everything else on the machine (PostgreSQL, Redis, RabbitMQ, and any other work, which should be
  near 0 for the baseline); when the three add up to the core count, the cores, not the pool, were
  the limit. _steal_ is the share of CPU time the hypervisor gave to other guests, which slows a run
  without any change in the code.
- p50/p99 are client-side latencies of 2xx answers. With ${s.connections} connections and ${s.hashPoolSize} slots about
  ${s.connections / s.hashPoolSize} logins share each slot, so a login waits for several compares: latency is
  roughly (connections / slots) × one compare.
- Each cost step doubles bcrypt's work, so at the production default of 12 every compare takes about
  4× as long, and the bound and the login rate fall by about the same factor (not measured here).
`;
}

/** A Markdown blockquote paragraph, or nothing. */
function quote(text: string | undefined): string {
  return text ? `\n> ${text}\n` : '';
}
