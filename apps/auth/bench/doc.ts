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
  hashPoolSize: number;
  hashQueueLimit: number;
  connections: number;
  warmupSeconds: number;
  measureSeconds: number;
}

/** One algorithm's runs: the service and its baseline. */
export interface AlgorithmRun {
  /** The algorithm with its work factors (`Argon2id m=19456 KiB t=2 p=1`, `bcrypt cost 10`). */
  algorithm: string;
  /** Mean verify in the bench process before any load. */
  idleHashSeconds: number;
  /** The service's own hash histogram over the measured run. */
  hashes: HashDelta;
  service: Measured;
  baseline: Measured;
}

export interface LoginResults {
  machine: MachineInfo;
  settings: BenchSettings;
  runs: AlgorithmRun[];
}

/** The target: logins at no less than 90% of what the hashing pool allows. */
const TARGET = 0.9;

function derived(settings: BenchSettings, r: AlgorithmRun) {
  const bound = settings.hashPoolSize / r.hashes.meanSeconds;
  const idleBound = settings.hashPoolSize / r.idleHashSeconds;
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
    ...r.runs.flatMap((run) => [
      row(`auth POST /login, ${run.algorithm}`, run.service),
      row(`baseline node:http, ${run.algorithm}`, run.baseline),
    ]),
  ];
}

/** The hashing bound of each algorithm and how close each run came to it. */
export function boundRows(r: LoginResults): Row[] {
  return [['quantity', 'value'], ...r.runs.flatMap((run) => algorithmBoundRows(r.settings, run))];
}

function algorithmBoundRows(settings: BenchSettings, run: AlgorithmRun): Row[] {
  const d = derived(settings, run);
  const name = run.algorithm;
  return [
    [
      `${name}: one verify as the service timed it under load (auth_hash_duration_seconds)`,
      `${fmt(run.hashes.meanSeconds * 1000)} ms (mean of ${run.hashes.count})`,
    ],
    [`${name}: bound = HASH_POOL_SIZE (${settings.hashPoolSize}) / that`, `${fmt(d.bound)} logins/s`],
    [
      `${name}: auth login / bound (target >= ${pct(TARGET)})`,
      `${pct(d.ofBound)}: ${d.met ? 'met' : 'missed'}`,
    ],
    [`${name}: hashes refused with 503 during the run`, String(run.hashes.rejected)],
    [
      `${name}: one verify on the idle machine (bench process, mean of 20)`,
      `${fmt(run.idleHashSeconds * 1000)} ms`,
    ],
    [
      `${name}: bound from the idle time; auth login / that; baseline / that`,
      `${fmt(d.idleBound)} logins/s; ${pct(run.service.okPerSecond / d.idleBound)}; ${pct(run.baseline.okPerSecond / d.idleBound)}`,
    ],
    [`${name}: auth login / baseline`, pct(run.service.okPerSecond / run.baseline.okPerSecond)],
  ];
}

/** The headline of one algorithm's run. */
function resultLine(settings: BenchSettings, run: AlgorithmRun): string {
  const d = derived(settings, run);
  return `- ${run.algorithm}: login runs at ${pct(d.ofBound)} of the hashing bound the service saw (target >= ${pct(TARGET)}: ${d.met ? 'met' : 'missed'}); against the idle-machine hash time it is ${pct(run.service.okPerSecond / d.idleBound)}.`;
}

/** This bench's section of docs/benchmarks.md. */
export function authSection(r: LoginResults): string {
  const s = r.settings;
  const steals = r.runs.flatMap((run) => [run.service.machineSteal, run.baseline.machineSteal]);
  return `## auth: POST /login against the hashing bound

Measured ${r.machine.date} on ${describeMachine(r.machine)}.
Command: \`pnpm bench\` at the root (turbo builds first, then runs each app's bench one at a time), or
\`pnpm --filter @platform/auth bench\` after \`pnpm build\`.
${quote(busyWarning(r.machine))}${quote(stealWarning(steals))}
**Results:**

${r.runs.map((run) => resultLine(s, run)).join('\n')}

${markdownTable(resultRows(r))}

${markdownTable(boundRows(r))}

Setup. The service is the built \`apps/auth/dist/index.js\` in a process of its own (the load generator,
autocannon, runs in the bench process, so they never share an event loop), configured as deployed
(\`NODE_ENV=production\`, \`LOG_LEVEL=info\`, logs to a file) except: the hash (once Argon2id at
OWASP's parameters, the default; once bcrypt at cost 10, the floor production accepts, where the
service default is 12), \`HASH_POOL_SIZE=${s.hashPoolSize}\` (one slot per core, the default),
\`HASH_QUEUE_LIMIT=${s.hashQueueLimit}\` (more than the ${s.connections} connections, so the steady state never
answers 503) and every rate limit and lockout threshold at 10^9. It gets a fresh database, Redis prefix
and AMQP namespace, all removed afterwards. Per algorithm, one user is registered through
\`POST /register\` (so its hash is that algorithm's); then ${s.connections} keep-alive connections send
\`POST /login\` with the right password back to back: ${s.warmupSeconds} s warm-up (not counted), then
${s.measureSeconds} s measured. The baseline is a bare \`node:http\` server
(\`apps/auth/bench/baseline-server.ts\`, also its own process) that parses the JSON body and verifies
the same kind of hash with the same library and work factors, under the same load, with as many libuv
threads as the service gives itself, but no slot limit, database, Redis, broker or logging.

How to read it.

- _Bound_ is what ${s.hashPoolSize} hashing slots deliver if they never sit idle: HASH_POOL_SIZE divided by the
  time of one verify. It uses the time the service itself measured during the run (the pool's
  \`auth_hash_duration_seconds\`, scraped from its metrics port before and after), because that is
  what a slot really cost under this load. The idle-machine time is shown too: under load every
  hash is slower, because the same ${r.machine.cores} cores also run the service's event loop, PostgreSQL,
  Redis, RabbitMQ and autocannon.
- A login is one user lookup, one verify, a session and a refresh-token insert, a JWT signature,
  two Redis rate-limit scripts plus the global one, and two AMQP publishes (the event and the
  request log). Everything but the verify competes with the hashes for the cores, so _login / bound_
  is how little of the slots' time the rest of the request wastes. Argon2id at OWASP's parameters is
  several times cheaper than bcrypt at cost 10 here, so the rest of the request weighs more in its
  ratio: the same overhead is a larger share of a shorter hash.
- _server cores_ is the server process's CPU seconds per second (hashing threads included) and _server
  CPU ms/login_ the same per successful login; the difference between a service row and its baseline
  is what the service spends besides the verify. _load gen cores_ is autocannon's share, _other
  cores_ everything else on the machine (PostgreSQL, Redis, RabbitMQ, and any other work, which
  should be near 0 for the baselines); when the three add up to the core count, the cores, not the
  pool, were the limit. _steal_ is the share of CPU time the hypervisor gave to other guests, which
  slows a run without any change in the code.
- p50/p99 are client-side latencies of 2xx answers. With ${s.connections} connections and ${s.hashPoolSize} slots about
  ${s.connections / s.hashPoolSize} logins share each slot, so a login waits for several verifies: latency is
  roughly (connections / slots) × one verify.
- Each bcrypt cost step doubles its work, so at the service default of 12 every compare takes about
  4× as long as at 10, and the bound and the login rate fall by about the same factor (not measured
  here). Argon2id's time grows with memory × passes.
`;
}

/** A Markdown blockquote paragraph, or nothing. */
function quote(text: string | undefined): string {
  return text ? `\n> ${text}\n` : '';
}
