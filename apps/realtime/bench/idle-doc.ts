/** The idle-sockets bench's results and its section of docs/benchmarks.md. */
import {
  busyWarning,
  describeMachine,
  fmt,
  markdownTable,
  type MachineInfo,
  type Row,
} from '@platform/benchkit';
import { histogramQuantile, histogramSum, largestBucket, type ScrapedHistogram } from './lag.js';

/** The issue's targets. */
export const TARGET_KIB_PER_SOCKET = 4;
export const TARGET_LAG_P99_MS = 10;

/** One second of the idle period: the loop-lag samples in it, and the refreshes that finished in it. */
export interface LagWindow {
  lag: ScrapedHistogram;
  refreshes: number;
  refreshSeconds: number;
}

interface Memory {
  rssMiB?: number;
  heapMiB?: number;
}

export interface IdleResults {
  machine: MachineInfo;
  sockets: number;
  open: number;
  openAtEnd: number;
  serverCounted: number | undefined;
  connectErrors: Record<string, number>;
  connectSeconds: number;
  clientProcesses: number;
  openFilesLimit: number;
  /** Before any socket, as it is and after a full collection; the same with every socket open. */
  idle: Memory;
  idleCollected: Memory;
  held: Memory;
  heldCollected: Memory;
  windows: LagWindow[];
  serverCores: number | undefined;
  idleSeconds: number;
  presenceTtlSeconds: number;
  totalSeconds: number;
}

/** KiB per open socket between two measurements in MiB. */
const perSocket = (r: IdleResults, from?: number, to?: number) =>
  from === undefined || to === undefined || r.open === 0 ? undefined : ((to - from) * 1024) / r.open;

const ms = (seconds: number) => seconds * 1000;

/** Lag samples taken against the 100 a second the sampler asks for. */
function samples(r: IdleResults): string {
  const taken = r.windows.reduce((n, w) => n + w.lag.count, 0);
  const wanted = r.windows.length * 100;
  return `${taken} times in ${r.windows.length} s (${fmt((taken / Math.max(1, wanted)) * 100, 0)}% of ${wanted})`;
}

interface LagSummary {
  label: string;
  seconds: number;
  lag: ScrapedHistogram;
  refreshes: number;
  refreshSeconds: number;
}

/**
 * The whole period, the seconds a refresh ran in (from the one it finished in back over its spread,
 * half the refresh period, and one more for Redis), and the other seconds.
 */
function lagSummaries(r: IdleResults): LagSummary[] {
  const near = new Set<number>();
  r.windows.forEach((w, i) => {
    if (w.refreshes === 0) return;
    const span = Math.ceil(r.presenceTtlSeconds / 6) + 1;
    for (let j = Math.max(0, i - span); j <= i; j++) near.add(j);
  });
  const summary = (label: string, windows: LagWindow[]): LagSummary => ({
    label,
    seconds: windows.length,
    lag: histogramSum(windows.map((w) => w.lag)),
    refreshes: windows.reduce((n, w) => n + w.refreshes, 0),
    refreshSeconds: windows.reduce((n, w) => n + w.refreshSeconds, 0),
  });
  return [
    summary(`all ${r.windows.length} s`, r.windows),
    summary(
      'seconds around a refresh',
      r.windows.filter((_, i) => near.has(i)),
    ),
    summary(
      'the other seconds',
      r.windows.filter((_, i) => !near.has(i)),
    ),
  ];
}

function memoryRows(r: IdleResults): Row[] {
  const row = (label: string, as: Memory, collected: Memory): Row => [
    label,
    fmt(as.rssMiB, 1),
    fmt(as.heapMiB, 1),
    fmt(collected.rssMiB, 1),
    fmt(collected.heapMiB, 1),
  ];
  return [
    ['server', 'RSS MiB', 'V8 heap used MiB', 'RSS after a full GC MiB', 'heap used after a full GC MiB'],
    row('no sockets', r.idle, r.idleCollected),
    row(`${r.open} sockets open`, r.held, r.heldCollected),
    [
      'KiB per socket',
      fmt(perSocket(r, r.idle.rssMiB, r.held.rssMiB), 2),
      fmt(perSocket(r, r.idle.heapMiB, r.held.heapMiB), 2),
      fmt(perSocket(r, r.idleCollected.rssMiB, r.heldCollected.rssMiB), 2),
      fmt(perSocket(r, r.idleCollected.heapMiB, r.heldCollected.heapMiB), 2),
    ],
  ];
}

function lagRows(r: IdleResults): Row[] {
  return [
    [
      'period',
      'lag samples',
      'p50 ms',
      'p99 ms',
      'largest sample',
      'refreshes finished',
      'mean Redis ms per refresh',
    ],
    ...lagSummaries(r).map((s): Row => [
      s.label,
      String(s.lag.count),
      fmt(ms(histogramQuantile(s.lag, 0.5)), 2),
      fmt(ms(histogramQuantile(s.lag, 0.99)), 2),
      largestBucket(s.lag),
      String(s.refreshes),
      s.refreshes ? fmt(ms(s.refreshSeconds / s.refreshes), 1) : 'n/a',
    ]),
  ];
}

function targets(r: IdleResults) {
  const [, around] = lagSummaries(r);
  const kib = perSocket(r, r.idleCollected.rssMiB, r.heldCollected.rssMiB);
  const p99 = around && around.refreshes > 0 ? ms(histogramQuantile(around.lag, 0.99)) : undefined;
  return {
    kib,
    kibMet: kib !== undefined && kib <= TARGET_KIB_PER_SOCKET && r.openAtEnd === r.sockets,
    p99,
    p99Met: p99 !== undefined && p99 < TARGET_LAG_P99_MS,
  };
}

/** The tables, the PASS/MISS lines and the Markdown section. */
export function idleSection(r: IdleResults): { tables: Row[][]; targetLines: string[]; markdown: string } {
  const t = targets(r);
  const failures = Object.entries(r.connectErrors).map(([why, n]) => `${n}× ${why}`);
  const targetLines = [
    `${t.kibMet ? 'PASS' : 'MISS'}: ${r.openAtEnd} of ${r.sockets} sockets held, server RSS per socket after a full GC ` +
      `<= ${TARGET_KIB_PER_SOCKET} KiB (measured: ${fmt(t.kib, 2)} KiB)`,
    `${t.p99Met ? 'PASS' : 'MISS'}: event-loop lag p99 around presence refreshes < ${TARGET_LAG_P99_MS} ms ` +
      `(measured: ${t.p99 === undefined ? 'no refresh ran' : `${fmt(t.p99, 2)} ms`})`,
  ];
  const busy = busyWarning(r.machine);
  const markdown = `## realtime: ${r.sockets} idle authenticated sockets

Command: \`pnpm --filter @platform/realtime bench\` (its fourth part, \`bench/idle.ts\`; alone: \`pnpm --filter @platform/realtime bench:idle\`).
Measured ${r.machine.date} on ${describeMachine(r.machine)}; the part took ${fmt(r.totalSeconds, 0)} s.
${busy ? `\n> ${busy}\n` : ''}
**Result${busy ? ' (on a busy machine: not a valid check of the targets until rerun on a quiet one)' : ''}: ${r.openAtEnd} of ${r.sockets} sockets held for ${r.idleSeconds} s (opened in ${fmt(r.connectSeconds, 0)} s${failures.length ? `; failures: ${failures.join(', ')}` : ', none refused'}); server RSS ${fmt(t.kib, 2)} KiB per socket after a full GC (target <= ${TARGET_KIB_PER_SOCKET} KiB: ${t.kibMet ? 'met' : 'missed'}); event-loop lag p99 around presence refreshes ${t.p99 === undefined ? 'not measured (no refresh ran)' : `${fmt(t.p99, 2)} ms`} (target < ${TARGET_LAG_P99_MS} ms: ${t.p99Met ? 'met' : 'missed'}).**

${markdownTable(memoryRows(r))}

${markdownTable(lagRows(r))}

Setup. The built service as deployed (\`NODE_ENV=production\`, every setting at its default, so
\`PRESENCE_TTL_SECONDS\` ${r.presenceTtlSeconds} and a refresh every ${fmt(r.presenceTtlSeconds / 3, 0)} s), started with
\`--inspect\` on a loopback port only so that the bench can ask V8 for a full collection
(\`HeapProfiler.collectGarbage\`, what a heap snapshot does first). ${r.sockets} users, each seeded with a
session and an access token; each socket is a different user, sent as \`Authorization: Bearer\` and
verified by the upgrade, then subscribed, counted in presence (announced to every socket for the first
1000 users, \`PRESENCE_BROADCAST_LIMIT\`, then to watchers only), sent its snapshot and replay. The sockets
are \`ws\` clients in ${r.clientProcesses} processes, each from a source address of its own (127.0.0.2 and up, so
no address runs out of ephemeral ports), 25 opening at a time per process; the bench runs with
\`ulimit -n\` ${r.openFilesLimit}. Once the server counted every socket and went quiet, the bench waited
${r.idleSeconds} s, scraping \`/metrics\` once a second (the scrape itself runs on the loop, as
Prometheus's would). The server used ${fmt(r.serverCores, 3)} cores meanwhile.

How to read it.

- _RSS per socket_ is the growth of the server's resident memory from no sockets to all of them open,
  divided by the sockets: uWS's per-socket state in C++, the JavaScript state (\`SocketData\`, the
  registry's map, the verified-token cache) and, before the collection, garbage the connect left. The
  kernel's socket buffers are not in RSS. The server starts cold, so the growth also holds what the
  first connects cost once (compiled code, the database and Redis pools filling, and the free memory
  glibc's allocator keeps after the connect's peak): a server warmed by a first batch of sockets grows
  by less per socket for the next ones.
- _Lag_ is \`realtime_event_loop_lag_seconds\`: every 10 ms a timer records how late it ran, that is how
  long the loop was busy with something else when it was due. prom-client's
  \`nodejs_eventloop_lag_p99_seconds\` cannot show this: its samples include the 10 ms resolution itself.
  Percentiles are interpolated inside the histogram's buckets (1, 2, 5, 10, 20, 50 ms...), as
  \`histogram_quantile\` does; _largest sample_ names the bucket of the longest stall.
- A refresh sends one Lua script per 100 local users, the scripts spread evenly over half the refresh
  period, so the loop gets them one at a time (\`realtime_presence_refresh_seconds\` is its time
  waiting for Redis, the spread left out); the seconds a refresh ran in (back from the second it
  finished over half the period, plus one) are compared with the other seconds to show what the
  refresh adds. Where both show the same lag, the lag is not the
  refresh's.
- A scrape renders every series on the loop; the process metrics' count of open descriptors (one per
  socket) is read on the libuv threadpool, since prom-client's \`readdirSync('/proc/self/fd')\` blocked
  each scrape for 10 ms and more at 10 000 sockets.
- The sampler asks for a tick 10 ms after the last one, so each late tick delays the next: it ticked
  ${samples(r)}. Many fewer than asked for, with the same lag in every second, means the process
  waited for a CPU (other work on the machine), and the lag measured is then mostly the machine's.
`;
  return { tables: [memoryRows(r), lagRows(r)], targetLines, markdown };
}
