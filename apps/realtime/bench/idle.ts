// pnpm bench (apps/realtime), fourth part: 10 000 authenticated sockets held open and idle by the
// built service. Reports the server's RSS and V8 heap per socket (before and after a full collection)
// and its event-loop lag while the presence refresher runs (every PRESENCE_TTL_SECONDS / 3), from the
// service's own `realtime_event_loop_lag_seconds`. Rewrites its section of docs/benchmarks.md.
// Options: BENCH_IDLE_SOCKETS (10000), BENCH_IDLE_SECONDS (65: three refreshes at the default TTL).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  announceMachine,
  freePort,
  isolatedEnvironment,
  rssMiB,
  textTable,
  writeDocSection,
} from '@platform/benchkit';
import { realtimeConfigSchema } from '../src/config.js';
import { deleteRealtimeQueues } from '../test/support/realtime-queues.js';
import { LoadClients } from './clients.js';
import { collectGarbage } from './collect-garbage.js';
import { idleSection, type IdleResults, type LagWindow } from './idle-doc.js';
import { histogramDelta, scrapeHistograms } from './lag.js';
import { quiet, scrapeGauge } from './measure-run.js';
import { seedTokens } from './seed.js';
import { startRealtimeServer, type StartedServer } from './servers.js';

const docPath = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SOCKETS = Number(process.env.BENCH_IDLE_SOCKETS ?? 10_000);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 65);
/** Load-client processes: each holds a quarter of the sockets, from a source address of its own. */
const CLIENT_PROCESSES = 4;
const LAG = 'realtime_event_loop_lag_seconds';
const REFRESH = 'realtime_presence_refresh_seconds';

/** The soft limit on open files this process (and so every child it starts) runs with. */
function openFilesLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
}

/** Memory of the server process: RSS from /proc, V8 heap in use from its metrics. */
async function memory(server: StartedServer): Promise<{ rssMiB?: number; heapMiB?: number }> {
  const heap = await scrapeGauge(server.metricsUrl, 'nodejs_heap_size_used_bytes');
  return { rssMiB: rssMiB(server.child.pid), heapMiB: heap === undefined ? undefined : heap / 2 ** 20 };
}

/** Waits until the server counts `open` connections (its open handlers ran), at most 60 s. */
async function settled(server: StartedServer, open: number): Promise<number | undefined> {
  const deadline = Date.now() + 60_000;
  let counted = await scrapeGauge(server.metricsUrl, 'realtime_connections');
  while (counted !== open && Date.now() < deadline) {
    await sleep(500);
    counted = await scrapeGauge(server.metricsUrl, 'realtime_connections');
  }
  await quiet(server.child);
  return counted;
}

/**
 * Scrapes the lag and refresh histograms once a second for `seconds`: one window per second, marked
 * when a refresh finished in it. A scrape is itself work on the loop, as Prometheus's would be.
 */
async function watchIdle(
  server: StartedServer,
  seconds: number,
): Promise<{ windows: LagWindow[]; serverCores: number | undefined }> {
  const url = server.metricsUrl ?? '';
  const windows: LagWindow[] = [];
  let [lag, refresh] = await scrapeHistograms(url, [LAG, REFRESH]);
  const cpu0 = server.child.cpuSeconds();
  for (let s = 0; s < seconds; s++) {
    await sleep(1000);
    const [lagNow, refreshNow] = await scrapeHistograms(url, [LAG, REFRESH]);
    if (!lagNow || !refreshNow) throw new Error(`the server's metrics lack ${LAG} or ${REFRESH}`);
    const refreshes = histogramDelta(refreshNow, refresh);
    windows.push({
      lag: histogramDelta(lagNow, lag),
      refreshes: refreshes.count,
      refreshSeconds: refreshes.sum,
    });
    [lag, refresh] = [lagNow, refreshNow];
  }
  const cpu1 = server.child.cpuSeconds();
  return {
    windows,
    serverCores: cpu0 === undefined || cpu1 === undefined ? undefined : (cpu1 - cpu0) / seconds,
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const machine = await announceMachine('realtime idle-sockets bench');
  const limit = openFilesLimit();
  // The server holds one descriptor per socket (plus its pools); each client process a quarter.
  if (limit < SOCKETS + 1000) {
    throw new Error(
      `open files are limited to ${limit} (ulimit -n); ${SOCKETS} sockets need at least ${SOCKETS + 1000}: ` +
        'raise it (`ulimit -n 65536`, or up to `ulimit -Hn`) in this shell and run again',
    );
  }
  const environment = await isolatedEnvironment();
  let server: StartedServer | undefined;
  let clients: LoadClients | undefined;
  try {
    const env = environment.env;
    const config = realtimeConfigSchema.parse({ ...env, PORT: '0', GRPC_PORT: '0' });
    const seedStarted = Date.now();
    const { tokens } = await seedTokens(config, environment.tokens, SOCKETS);
    console.log(
      `seeded ${SOCKETS} users with a session and an access token each in ${(Date.now() - seedStarted) / 1000} s`,
    );
    const inspectPort = await freePort();
    server = await startRealtimeServer(env, { nodeArgs: [`--inspect=127.0.0.1:${inspectPort}`] });
    await quiet(server.child);
    const idle = await memory(server);
    await collectGarbage(inspectPort);
    const idleCollected = await memory(server);

    clients = LoadClients.start(CLIENT_PROCESSES);
    const connectStarted = Date.now();
    const connected = await clients.connect(server.wsUrl, tokens, 'plain', { spreadAddresses: true });
    const connectSeconds = (Date.now() - connectStarted) / 1000;
    console.log(`${connected.open}/${SOCKETS} sockets open in ${connectSeconds.toFixed(1)} s`);
    const serverCounted = await settled(server, connected.open);
    const held = await memory(server);
    await collectGarbage(inspectPort);
    const heldCollected = await memory(server);
    console.log(`the server counts ${serverCounted} connections; watching the loop for ${IDLE_SECONDS} s...`);
    const { windows, serverCores } = await watchIdle(server, IDLE_SECONDS);
    const end = await clients.count();

    const results: IdleResults = {
      machine,
      sockets: SOCKETS,
      open: connected.open,
      openAtEnd: end.open,
      serverCounted,
      connectErrors: connected.errors,
      connectSeconds,
      clientProcesses: CLIENT_PROCESSES,
      openFilesLimit: limit,
      idle,
      idleCollected,
      held,
      heldCollected,
      windows,
      serverCores,
      idleSeconds: IDLE_SECONDS,
      presenceTtlSeconds: config.PRESENCE_TTL_SECONDS,
      totalSeconds: (Date.now() - started) / 1000,
    };
    const section = idleSection(results);
    for (const table of section.tables) console.log(`\n${textTable(table)}`);
    console.log('');
    for (const line of section.targetLines) console.log(line);
    writeDocSection(docPath, 'realtime-idle', section.markdown);
  } finally {
    await clients?.close();
    await server?.child.stop();
    await deleteRealtimeQueues(environment.env.AMQP_URL ?? '', environment.namespace);
    await environment.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
