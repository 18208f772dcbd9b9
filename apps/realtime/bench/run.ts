// pnpm bench (apps/realtime): fanout of `chat.frame` (audience all) from the `chat` exchange to every
// open socket, realtime (the built service, uWS) beside a plain `ws` server doing the same broadcast in
// the same run, and realtime again with its write-coalescing window on (WS_COALESCE_MS). Prints a table
// and rewrites this bench's section of docs/benchmarks.md.
// Options: BENCH_SECONDS (measured seconds per run), BENCH_SOCKETS (e.g. "1000"), BENCH_ONLY
// ("realtime" or "ws", while working on the bench: the doc is then left alone), BENCH_CPU_PROF=<dir>,
// BENCH_COALESCE_MS (the window of the second realtime server, 50).
import { copyFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  announceMachine,
  isolatedEnvironment,
  printProfile,
  rssMiB,
  textTable,
  writeDocSection,
} from '@platform/benchkit';
import { realtimeConfigSchema } from '../src/config.js';
import { deleteRealtimeQueues } from '../test/support/realtime-queues.js';
import { LoadClients } from './clients.js';
import { fanoutSection, targetLines } from './doc.js';
import { measureRun, quiet, scrapeCounters, scrapeGauge } from './measure-run.js';
import { FramePublisher, now } from './publisher.js';
import { resultRows, type FanoutResults, type Plan, type ServerResult, type Settings } from './results.js';
import { seedTokens } from './seed.js';
import {
  BASELINE,
  REALTIME,
  REALTIME_COALESCED,
  SOCKET_IO,
  startBaselineServer,
  startCoalescedRealtimeServer,
  startRealtimeServer,
  startSocketIoServer,
  type StartedServer,
} from './servers.js';

const docPath = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Fixed so runs compare. Each plan opens `sockets` sockets to each server and measures its runs:
 * 50 msg/s to 1000 sockets is a steady 50 000 deliveries/s (where the targets are checked); 200 msg/s
 * is more than this box delivers, to see where it saturates (latency is then queueing); 2000 sockets
 * at 25 msg/s is the same delivery rate spread over twice the sockets. BENCH_SECONDS shortens runs.
 */
const measureSeconds = Number(process.env.BENCH_SECONDS ?? 10);
const settings: Settings = {
  plans: [
    {
      sockets: 1000,
      runs: [
        { rate: 50, seconds: measureSeconds },
        { rate: 200, seconds: Math.max(2, Math.round(measureSeconds / 2)) },
      ],
    },
    { sockets: 2000, runs: [{ rate: 25, seconds: measureSeconds }] },
  ].filter(
    (plan) => !process.env.BENCH_SOCKETS || process.env.BENCH_SOCKETS.split(',').includes(`${plan.sockets}`),
  ),
  warmupSeconds: 3,
  clientProcesses: 2,
  only: process.env.BENCH_ONLY,
};

type Starter = (env: Record<string, string>) => Promise<StartedServer>;

/** Starts one server, opens `tokens.length` sockets to it, measures every rate, stops it. */
async function measureServer(
  start: Starter,
  env: Record<string, string>,
  plan: Plan,
  tokens: string[],
  publisher: FramePublisher,
): Promise<ServerResult> {
  const server = await start(env);
  const clients = LoadClients.start(settings.clientProcesses);
  let keep = true; // the log of a server that failed or lost sockets is kept
  try {
    const rssIdleMiB = rssMiB(server.child.pid);
    const heapIdleMiB = mib(await scrapeGauge(server.metricsUrl, 'nodejs_heap_size_used_bytes'));
    const connectStarted = now();
    const connected = await clients.connect(server.wsUrl, tokens, server.protocol);
    const connectSeconds = (now() - connectStarted) / 1000;
    console.log(
      `${server.label}: ${connected.open}/${tokens.length} sockets open in ${connectSeconds.toFixed(1)} s` +
        (Object.keys(connected.errors).length ? `; failures: ${JSON.stringify(connected.errors)}` : ''),
    );
    await sleep(1000);
    await quiet(server.child);
    const rssWithSocketsMiB = rssMiB(server.child.pid);
    const afterConnect = await clients.count();
    const serverConnections = (await scrapeCounters(server.metricsUrl)).realtime_connections;
    const heapUsedMiB = mib(await scrapeGauge(server.metricsUrl, 'nodejs_heap_size_used_bytes'));
    console.log(
      `${server.label}: ${afterConnect.open} sockets open after the connect settled` +
        (serverConnections === undefined ? '' : ` (the server counts ${serverConnections})`) +
        `; ${afterConnect.otherFrames} frames of its own (not the bench's) reached them meanwhile`,
    );
    const sut = { label: server.label, child: server.child, clients, metricsUrl: server.metricsUrl };
    const warmupRate = plan.runs[0]?.rate ?? 50;
    console.log(`${server.label}: ${settings.warmupSeconds} s warm-up at ${warmupRate} msg/s...`);
    await measureRun(sut, publisher, warmupRate, settings.warmupSeconds);
    const runs = [];
    for (const { rate, seconds } of plan.runs) {
      console.log(`${server.label}: ${tokens.length} sockets, ${rate} msg/s for ${seconds} s...`);
      const run = await measureRun(sut, publisher, rate, seconds);
      console.log(
        `  ${run.delivered}/${run.expected} frames, ${run.deliveriesPerSecond.toFixed(0)}/s, p50 ` +
          `${run.latency.percentile(0.5).toFixed(2)} ms, p99 ${run.latency.percentile(0.99).toFixed(2)} ms, ` +
          `server ${run.serverCores?.toFixed(2)} cores; slowest broadcast ${slowest(run.messages)}; ` +
          `sockets closed so far ${JSON.stringify(run.closeLog.map((c) => [c.code, Math.round(c.afterOpenMs)]))} ` +
          `([code, ms after open])`,
      );
      runs.push(run);
    }
    keep = connected.open < tokens.length || runs.some((r) => r.closeLog.length > 0);
    return {
      label: server.label,
      sockets: tokens.length,
      open: connected.open,
      connectErrors: connected.errors,
      connectSeconds,
      framesDuringConnect: afterConnect.otherFrames,
      serverConnections,
      heapIdleMiB,
      heapUsedMiB,
      heapUsedAfterRunsMiB: mib(await scrapeGauge(server.metricsUrl, 'nodejs_heap_size_used_bytes')),
      rssIdleMiB,
      rssWithSocketsMiB,
      childStartedAt: server.child.startedAt,
      runs,
    };
  } finally {
    await clients.close();
    if (keep || process.env.BENCH_REALTIME_LOG_LEVEL) keepLog(server.label);
    await server.child.stop();
  }
}

const mib = (bytes: number | undefined) => (bytes === undefined ? undefined : bytes / 2 ** 20);

/** The broadcast that took longest to reach its last socket: ms, and seconds into the run. */
function slowest(messages: Array<[number, number, number]>): string {
  const [start] = messages[0] ?? [0];
  const worst = messages.reduce((a, b) => (b[2] > a[2] ? b : a), [0, 0, 0]);
  return `${worst[2].toFixed(1)} ms to its last socket (${worst[1].toFixed(1)} ms to the first), +${((worst[0] - start) / 1000).toFixed(1)} s`;
}

/**
 * startChild deletes a child's log when it stops; realtime's is kept (copied) when it lost sockets or
 * failed, or with BENCH_REALTIME_LOG_LEVEL, so that what happened can be read afterwards.
 */
function keepLog(label: string): void {
  if (label !== REALTIME) return;
  const prefix = `platform-bench-realtime-${process.pid}-`;
  for (const file of readdirSync(tmpdir()).filter((f) => f.startsWith(prefix))) {
    const kept = join(tmpdir(), `kept-${file}`);
    copyFileSync(join(tmpdir(), file), kept);
    console.log(`${label}: its log is kept in ${kept}`);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const machine = await announceMachine('realtime fanout bench');
  const environment = await isolatedEnvironment();
  try {
    const env = environment.env;
    const config = realtimeConfigSchema.parse({ ...env, PORT: '0', GRPC_PORT: '0' });
    const most = Math.max(...settings.plans.map((plan) => plan.sockets));
    const seeded = await seedTokens(config, environment.tokens, most);
    console.log(`seeded ${most} users with a session and an access token each`);
    const publisher = await FramePublisher.connect(config.AMQP_URL, config.AMQP_NAMESPACE, seeded.from);
    const servers: ServerResult[] = [];
    try {
      for (const [i, plan] of settings.plans.entries()) {
        // Alternate which server goes first, so drift on the machine does not always favour one.
        const order: Array<[string, Starter]> = [
          [REALTIME, (env) => startRealtimeServer(env)],
          [REALTIME_COALESCED, startCoalescedRealtimeServer],
          [BASELINE, startBaselineServer],
          [SOCKET_IO, startSocketIoServer],
        ];
        if (i % 2 === 1) order.reverse();
        for (const [label, start] of order) {
          if (settings.only && !label.includes(settings.only)) continue;
          const tokens = seeded.tokens.slice(0, plan.sockets);
          servers.push(await measureServer(start, env, plan, tokens, publisher));
        }
      }
    } finally {
      await publisher.close();
    }
    // The profile read is the one the last realtime process wrote on exit: its runs are the windows.
    const profiled = servers.filter((s) => s.label === REALTIME).at(-1);
    const spawnedAt = profiled?.childStartedAt ?? 0;
    printProfile(
      (profiled?.runs ?? []).map((r) => ({
        fromMs: r.startedAt - spawnedAt,
        toMs: r.finishedAt - spawnedAt,
      })),
    );
    const results: FanoutResults = {
      machine,
      settings,
      servers,
      totalSeconds: (Date.now() - started) / 1000,
    };
    console.log(`\n${textTable(resultRows(results))}\n`);
    if (servers.some((s) => s.label === REALTIME) && servers.some((s) => s.label === BASELINE)) {
      for (const line of targetLines(results)) console.log(line);
    }
    if (settings.only) console.log('BENCH_ONLY is set: the doc is left as it was');
    else writeDocSection(docPath, 'realtime', fanoutSection(results));
  } finally {
    await deleteRealtimeQueues(environment.env.AMQP_URL ?? '', environment.namespace);
    await environment.close();
  }
}

await main();
