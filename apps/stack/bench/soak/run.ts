// pnpm bench:soak [--minutes 10]: starts the stack as `pnpm start` does and drives a steady mix through
// the edge (sign-ups, sign-ins, profile reads, chat over many sockets with reconnects); reports error
// rates, p50/p99 per operation, RSS and descriptors of every stack process over time, and exits 1 on
// a leak, a lost or duplicated chat message, or any 5xx. Writes its section of docs/benchmarks.md and
// docs/soak.svg (not with --no-doc).
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  announceMachine,
  busyWarning,
  isolatedEnvironment,
  startChild,
  textTable,
  writeDocSection,
  type MachineInfo,
} from '@platform/benchkit';
import { MailSink } from '@platform/testkit';
import { ChatSoak } from './chat.js';
import { chatRows, operationRows, processRows, soakSection, SOAK_SETTINGS, type SoakReport } from './doc.js';
import { RestMix, runStreams } from './mix.js';
import { parseOptions, USAGE, type SoakOptions } from './options.js';
import { soakPlot } from './plot.js';
import {
  addHeap,
  sampleProcess,
  stackProcesses,
  type ProcessSample,
  type StackProcess,
} from './processes.js';
import { OPERATIONS, Recorder } from './stats.js';
import { failures, processTrend } from './verdict.js';

const stackDir = fileURLToPath(new URL('../..', import.meta.url));
const docPath = fileURLToPath(new URL('../../../../docs/benchmarks.md', import.meta.url));
const PLOT = 'soak.svg';
const plotPath = fileURLToPath(new URL(`../../../../docs/${PLOT}`, import.meta.url));
/** `pnpm start`'s edge: the soak uses the stack on its usual ports, as a user would. */
const EDGE = 'http://127.0.0.1:8080';

/** From the isolated environment, only where the data lives; everything else is `pnpm start`'s own. */
const ISOLATION = ['DATABASE_URL', 'REDIS_URL', 'REDIS_PREFIX', 'AMQP_URL', 'AMQP_NAMESPACE'];
const HASHING = ['PASSWORD_HASH_ALGORITHM', 'ARGON2_MEMORY_KIB', 'ARGON2_TIME_COST', 'BCRYPT_COST'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const options = parseOptions(process.argv.slice(2));
  const machine = await announceMachine('soak');
  const environment = await isolatedEnvironment();
  try {
    const picked = Object.entries(environment.env).filter(([k]) => [...ISOLATION, ...HASHING].includes(k));
    // The soak's own SMTP server instead of the launcher's inbox: that inbox keeps the last 500 mails,
    // and filling it up (a sign-up a second takes ten minutes) would pass for a leak of the launcher.
    const mail = await MailSink.start({ host: '127.0.0.1', maxMessages: 50 });
    const env: Record<string, string> = {
      ...Object.fromEntries(picked.filter((e): e is [string, string] => e[1] !== undefined)),
      ...SOAK_SETTINGS,
      SMTP_HOST: mail.host,
      SMTP_PORT: String(mail.port),
    };
    console.log(
      `starting the stack (apps/stack/dist/index.js) with ${Object.keys(SOAK_SETTINGS).join(', ')} raised`,
    );
    const stack = await startChild({
      name: 'stack',
      args: ['dist/index.js'],
      cwd: stackDir,
      env,
      readyUrl: `${EDGE}/health`,
      readyTimeoutMs: 180_000,
    });
    const processes = stackProcesses(stack.pid);
    // Interrupted, this process SIGKILLs the launcher, whose services run in process groups of their
    // own: they would keep the ports. Asked directly, each drains and exits by itself.
    const orphans = () => {
      for (const p of processes.slice(1)) {
        try {
          process.kill(p.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    };
    process.once('exit', orphans);
    try {
      return await soak(processes, options, machine);
    } finally {
      await stack.stop(30_000);
      process.off('exit', orphans);
      await mail.close();
    }
  } finally {
    await environment.close();
  }
}

async function soak(
  processes: readonly StackProcess[],
  options: SoakOptions,
  machine: MachineInfo,
): Promise<number> {
  console.log(`stack processes: ${processes.map((p) => `${p.name} (${p.pid})`).join(', ')}`);
  const recorder = new Recorder();
  const chat = new ChatSoak(EDGE, recorder);
  const rest = new RestMix(EDGE, randomBytes(4).toString('hex'), recorder, () =>
    chat.users.map((u) => u.client),
  );
  console.log(`signing up ${options.sockets} chat users and connecting their sockets...`);
  await chat.setUp(await rest.seed(options.sockets), options.groupSize);

  const samples = new Map<number, ProcessSample[]>(processes.map((p) => [p.pid, []]));
  const gone = new Set<string>();
  const started = performance.now();
  const sample = () => {
    const at = performance.now() - started;
    for (const p of processes) {
      const s = sampleProcess(p.pid, at);
      if (!s) {
        gone.add(`${p.name} (pid ${p.pid}) exited during the run`);
        continue;
      }
      samples.get(p.pid)?.push(s);
      if (p.metricsPort !== undefined) void addHeap(s, p.metricsPort);
    }
  };
  recorder.start();
  sample();
  const sampler = setInterval(sample, options.sampleSeconds * 1000);
  const progress = setInterval(() => {
    const sends = recorder.summary('chat.send');
    const rss = processes.map(
      (p) => `${p.name.split(' ')[0]} ${samples.get(p.pid)?.at(-1)?.rssMiB.toFixed(0)}`,
    );
    console.log(
      `${((performance.now() - started) / 60_000).toFixed(1)} min: ${sends.ok} sends acked; RSS MiB ${rss.join(', ')}`,
    );
  }, 60_000);
  const stop = runStreams(
    [
      { operation: 'register', perSecond: options.registerPerSecond, run: () => rest.register() },
      { operation: 'login', perSecond: options.loginPerSecond, run: () => rest.login() },
      { operation: 'profile', perSecond: options.profilePerSecond, run: () => rest.profile() },
      { operation: 'chat.send', perSecond: options.sendPerSecond, run: () => chat.sendOne() },
      {
        operation: 'drop',
        perSecond: options.sockets / options.reconnectEverySeconds,
        run: () => chat.dropOne(),
      },
    ],
    recorder,
  );
  await sleep(options.minutes * 60_000);
  stop();
  clearInterval(progress);
  clearInterval(sampler);
  sample();
  const loadSeconds = (performance.now() - started) / 1000;
  console.log('load stopped; waiting for every socket and every message to settle...');
  const settled = await chat.settle(60_000);
  const verdict = chat.verify();
  chat.close();

  const operations = OPERATIONS.map((op) => recorder.summary(op));
  const trends = processes.map((p) => processTrend(p, samples.get(p.pid) ?? [], options));
  const reasons = [...gone, ...failures(trends, operations, verdict, settled)];
  const report: SoakReport = {
    machine,
    busyWarning: busyWarning(machine),
    options,
    operations,
    chat: verdict,
    trends,
    failures: reasons,
    plotFile: PLOT,
    loadSeconds,
  };
  console.log(
    `\n${textTable(operationRows(report))}\n\n${textTable(chatRows(verdict))}\n\n${textTable(processRows(trends))}\n`,
  );
  if (options.doc) writeResults(report, recorder, loadSeconds);
  if (reasons.length === 0) console.log('soak passed');
  else console.error(`soak FAILED:\n${reasons.map((r) => `- ${r}`).join('\n')}`);
  return reasons.length === 0 ? 0 : 1;
}

function writeResults(report: SoakReport, recorder: Recorder, loadSeconds: number): void {
  const minutes = loadSeconds / 60;
  const windowSeconds = Math.max(10, Math.round(loadSeconds / 20 / 10) * 10);
  const rss = report.trends.map((t) => ({
    name: t.name.split(' ')[0] ?? t.name,
    points: t.samples.map((s) => ({ x: s.at / 60_000, y: s.rssMiB })),
  }));
  const p99 = OPERATIONS.map((op) => ({
    name: op,
    points: recorder
      .p99Series(op, windowSeconds * 1000, loadSeconds * 1000)
      .map((p) => ({ x: p.at / 60_000, y: p.ms })),
  }));
  const title = `pnpm bench:soak --minutes ${report.options.minutes}, ${report.machine.date} (a shared, busy 2-core box)`;
  writeFileSync(plotPath, soakPlot(title, rss, p99, minutes, windowSeconds));
  console.log(`wrote ${plotPath}`);
  writeDocSection(docPath, 'soak', soakSection(report));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
