import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import {
  machineCpuTicks,
  rssMiB,
  startKernelSampler,
  type KernelSplit,
  type RunningChild,
} from '@platform/benchkit';
import type { LoadClients } from './clients.js';
import type { LatencyHistogram } from './histogram.js';
import type { CloseRecord } from './protocol.js';
import { now, type FramePublisher } from './publisher.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server under test with its sockets open. */
export interface Sut {
  label: string;
  child: RunningChild;
  clients: LoadClients;
  /** Scraped before and after each run when the server has one (realtime's metrics port). */
  metricsUrl?: string;
}

export interface FanoutRun {
  sut: string;
  /** Offered messages per second (open loop) and for how long. */
  rate: number;
  seconds: number;
  published: number;
  publishFailed: number;
  /** Sockets open when the run started, and published × that: every frame to every socket. */
  openAtStart: number;
  expected: number;
  delivered: number;
  /** Delivered frames per second, from the first publish to the last frame received. */
  deliveriesPerSecond: number;
  latency: LatencyHistogram;
  /** Each message's publish-to-receive time at the first socket that got it, ascending (ms). */
  firstSocketMs: number[];
  /** Each message: [sentAt, ms to its first socket, ms to its last socket], in publishing order. */
  messages: Array<[number, number, number]>;
  /** From the end of publishing until every frame had arrived (or progress stopped). */
  drainMs: number;
  /** Server CPU seconds over the run (first publish to drained) and per wall second. */
  serverCpuSeconds: number | undefined;
  serverCores: number | undefined;
  /** Share of the server's CPU spent in the kernel (socket writes, and on loopback the TCP receive path). */
  serverSystemShare: number | undefined;
  /** The server's samples split by perf into its own sends, the loopback receive path and the rest. */
  kernelSplit: KernelSplit | undefined;
  /** TCP segments the machine sent during the run per delivered frame (data, ACKs and AMQP alike). */
  segmentsPerDelivery: number | undefined;
  deliveriesPerCpuSecond: number | undefined;
  /** Load clients plus the bench process (publisher), and everything else on the machine. */
  loadCores: number | undefined;
  otherCores: number | undefined;
  steal: number | undefined;
  /** Largest server RSS sampled during the run, MiB. */
  maxRssMiB: number | undefined;
  /** Sockets closed (by code) since they were opened, as the clients saw it at the end of the run. */
  closes: Record<string, number>;
  closeLog: CloseRecord[];
  /** Differences of realtime's own counters over the run (empty for the baseline). */
  serverCounters: Record<string, number>;
  /** Epoch ms: first publish, and the moment the run had drained. */
  startedAt: number;
  finishedAt: number;
}

/** User and system CPU time of a process in clock ticks, from /proc/<pid>/stat; undefined without it. */
export function cpuSplit(pid: number): { user: number; system: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]), system: Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** TCP segments this machine has sent (all interfaces, loopback included), from /proc/net/snmp. */
function tcpOutSegments(): number | undefined {
  try {
    const lines = readFileSync('/proc/net/snmp', 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('Tcp:'));
    const names = lines[0]?.split(/\s+/) ?? [];
    const values = lines[1]?.split(/\s+/) ?? [];
    const value = Number(values[names.indexOf('OutSegs')]);
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A gauge (summed over labels) from a Prometheus text page; undefined when absent. */
export async function scrapeGauge(url: string | undefined, name: string): Promise<number | undefined> {
  if (!url) return undefined;
  const text = await fetch(url)
    .then((r) => r.text())
    .catch(() => '');
  const values = text
    .split('\n')
    .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
    .map((l) => Number(l.trim().split(/\s+/).pop()));
  return values.length ? values.reduce((a, b) => a + b, 0) : undefined;
}

/** Waits until the child uses under 5% of a core over 250 ms (at most 10 s). */
export async function quiet(child: RunningChild): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = child.cpuSeconds();
  while (last !== undefined && Date.now() < deadline) {
    await sleep(250);
    const current = child.cpuSeconds();
    if (current === undefined || current - last < 0.0125) return;
    last = current;
  }
}

/** Counters (summed over labels) from a Prometheus text page; empty when it cannot be read. */
export async function scrapeCounters(url: string | undefined): Promise<Record<string, number>> {
  if (!url) return {};
  const text = await fetch(url)
    .then((r) => r.text())
    .catch(() => '');
  const counters: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^(realtime_[a-z_]+?)(?:_total)?(\{[^}]*\})?\s+([0-9.e+-]+)$/.exec(line);
    if (!match?.[1] || match[1].endsWith('_bucket')) continue;
    const name = match[1] + (match[2]?.includes('type=') ? `{${/type="([^"]*)"/.exec(match[2])?.[1]}}` : '');
    counters[name] = (counters[name] ?? 0) + Number(match[3]);
  }
  return counters;
}

/** Waits until every expected frame has arrived, or nothing new arrived for 2 s (at most 20 s). */
async function drain(clients: LoadClients, expected: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  let last = -1;
  let progressAt = Date.now();
  while (Date.now() < deadline) {
    const { frames } = await clients.count();
    if (frames >= expected) return;
    if (frames !== last) progressAt = Date.now();
    else if (Date.now() - progressAt > 2000) return;
    last = frames;
    await sleep(50);
  }
}

/**
 * One run: `rate` messages per second for `seconds` to every socket of `sut`, then the wait for the
 * last frames. CPU is taken over the same interval for the server, the load generators (clients and
 * this process, which publishes) and the machine.
 */
export async function measureRun(
  sut: Sut,
  publisher: FramePublisher,
  rate: number,
  seconds: number,
): Promise<FanoutRun> {
  const { child, clients } = sut;
  await quiet(child);
  const counters = await scrapeCounters(sut.metricsUrl);
  const openAtStart = (await clients.count()).open;
  await clients.start();
  const kernelSampler = await startKernelSampler(child.pid);
  const machine0 = machineCpuTicks();
  const server0 = child.cpuSeconds();
  const split0 = cpuSplit(child.pid);
  const segments0 = tcpOutSegments();
  const clients0 = clients.cpuSeconds();
  const own0 = process.cpuUsage();
  let maxRss = rssMiB(child.pid);
  const sampler = setInterval(() => (maxRss = Math.max(maxRss ?? 0, rssMiB(child.pid) ?? 0)), 500);

  const published = await publisher.publish(rate, seconds);
  const expected = published.published * openAtStart;
  await drain(clients, expected);
  const drainedAt = now();

  clearInterval(sampler);
  const server1 = child.cpuSeconds();
  const split1 = cpuSplit(child.pid);
  const segments1 = tcpOutSegments();
  const clients1 = clients.cpuSeconds();
  const own = process.cpuUsage(own0);
  const machine1 = machineCpuTicks();
  const stats = await clients.stop();
  const after = await scrapeCounters(sut.metricsUrl);
  const kernelSplit = await kernelSampler?.stop(); // after the counters: perf script takes a while

  const wallSeconds = (drainedAt - published.startedAt) / 1000;
  const deliverySeconds = Math.max(seconds, (stats.lastAt - published.startedAt) / 1000);
  const serverCpuSeconds = server0 !== undefined && server1 !== undefined ? server1 - server0 : undefined;
  const loadCpu =
    clients0 !== undefined && clients1 !== undefined
      ? clients1 - clients0 + (own.user + own.system) / 1e6
      : undefined;
  const ticks = machine0 && machine1 ? Math.max(1, machine1.total - machine0.total) : 0;
  const steal = machine0 && machine1 ? (machine1.steal - machine0.steal) / ticks : undefined;
  const machineCores =
    machine0 && machine1 && steal !== undefined
      ? ((machine1.busy - machine0.busy) / ticks - steal) * availableParallelism()
      : undefined;
  const serverCores = serverCpuSeconds === undefined ? undefined : serverCpuSeconds / wallSeconds;
  const loadCores = loadCpu === undefined ? undefined : loadCpu / wallSeconds;
  return {
    sut: sut.label,
    rate,
    seconds,
    published: published.published,
    publishFailed: published.failed,
    openAtStart,
    expected,
    delivered: stats.frames,
    deliveriesPerSecond: stats.frames / deliverySeconds,
    latency: stats.latency,
    firstSocketMs: stats.firstSocketMs,
    messages: stats.messages,
    drainMs: drainedAt - published.endedAt,
    serverCpuSeconds,
    serverCores,
    serverSystemShare:
      split0 && split1
        ? (split1.system - split0.system) /
          Math.max(1, split1.system - split0.system + split1.user - split0.user)
        : undefined,
    kernelSplit,
    segmentsPerDelivery:
      segments0 !== undefined && segments1 !== undefined && stats.frames > 0
        ? (segments1 - segments0) / stats.frames
        : undefined,
    deliveriesPerCpuSecond: serverCpuSeconds ? stats.frames / serverCpuSeconds : undefined,
    loadCores,
    otherCores:
      machineCores === undefined || serverCores === undefined || loadCores === undefined
        ? undefined
        : Math.max(0, machineCores - serverCores - loadCores),
    steal,
    maxRssMiB: maxRss,
    closes: stats.closes,
    closeLog: stats.closeLog,
    serverCounters: Object.fromEntries(
      Object.entries(after).map(([name, value]) => [name, value - (counters[name] ?? 0)]),
    ),
    startedAt: published.startedAt,
    finishedAt: drainedAt,
  };
}
