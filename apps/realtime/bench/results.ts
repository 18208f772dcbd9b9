/** The fanout bench's results model: what a run measured, the targets and how runs compare. */
import { fmt, pct, percentile, type MachineInfo, type Row } from '@platform/benchkit';
import type { FanoutRun } from './measure-run.js';
import { BASELINE, REALTIME, REALTIME_COALESCED, SOCKET_IO } from './servers.js';

/** Sockets to open to each server, and the runs (offered msg/s, publishing seconds) to measure. */
export interface Plan {
  sockets: number;
  runs: Array<{ rate: number; seconds: number }>;
}

export interface Settings {
  plans: Plan[];
  warmupSeconds: number;
  clientProcesses: number;
  only: string | undefined;
}

/** One server with one number of sockets: its connect, memory and measured runs. */
export interface ServerResult {
  label: string;
  sockets: number;
  open: number;
  connectErrors: Record<string, number>;
  connectSeconds: number;
  /** Frames the server sent on its own while the sockets connected (realtime: presence, snapshots). */
  framesDuringConnect: number;
  /** realtime_connections once the connect settled (realtime only). */
  serverConnections: number | undefined;
  /** V8 heap in use before any socket, MiB (realtime only: from its metrics). */
  heapIdleMiB: number | undefined;
  /** V8 heap in use once the connect settled, MiB. */
  heapUsedMiB: number | undefined;
  /** The same after the measured runs (more collections have run by then). */
  heapUsedAfterRunsMiB: number | undefined;
  rssIdleMiB: number | undefined;
  rssWithSocketsMiB: number | undefined;
  childStartedAt: number;
  runs: FanoutRun[];
}

export interface FanoutResults {
  machine: MachineInfo;
  settings: Settings;
  servers: ServerResult[];
  totalSeconds: number;
}

/** The targets. */
export const TARGET_RATIO = 2.5;
/** realtime ÷ Socket.IO, deliveries per server CPU-second, at TARGET_SOCKETS. */
export const TARGET_RATIO_SOCKET_IO = 5;
export const TARGET_P99_MS = 20;
export const TARGET_SOCKETS = 1000;

/** Close codes and how often each came, as `3×1006`. */
export const closes = (c: Record<string, number>) =>
  Object.entries(c)
    .map(([code, n]) => `${n}×${code}`)
    .join(', ') || '0';

/** Server CPU µs per delivery, split into user and kernel time. */
export function userKernel(run: FanoutRun): string {
  if (!run.deliveriesPerCpuSecond || run.serverSystemShare === undefined) return 'n/a';
  const us = 1e6 / run.deliveriesPerCpuSecond;
  return `${fmt(us * (1 - run.serverSystemShare), 1)} + ${fmt(us * run.serverSystemShare, 1)}`;
}

/** The same µs per delivery split by perf: own sends + the loopback receive path + the rest. */
export function sendSplit(run: FanoutRun): string {
  const split = run.kernelSplit;
  if (!run.deliveriesPerCpuSecond || !split?.samples) return 'n/a';
  const us = 1e6 / run.deliveriesPerCpuSecond;
  return [split.send, split.receive, split.rest].map((share) => fmt(us * share, 1)).join(' + ');
}

/**
 * Deliveries per server CPU-second without the receive path that loopback runs in the server's writes
 * (on a network the receiving machine does that work); undefined without a perf split.
 */
export function withoutLoopbackReceive(run: FanoutRun | undefined): number | undefined {
  const split = run?.kernelSplit;
  if (!run?.deliveriesPerCpuSecond || !split?.samples || split.receive >= 1) return undefined;
  return run.deliveriesPerCpuSecond / (1 - split.receive);
}

/** One row per measured run. */
export function resultRows({ servers }: FanoutResults): Row[] {
  const header = [
    'server',
    'sockets',
    'offered msg/s',
    'deliveries/s',
    'delivered / expected',
    'p50 ms',
    'p99 ms',
    'max ms',
    'first socket p50 / p99 ms',
    'server cores',
    'deliveries per server CPU-s',
    'server CPU µs/delivery: user + kernel',
    'the same by perf: own sends + loopback receive + rest',
    'TCP segments/delivery',
    'server RSS MiB',
    'load gen cores',
    'other cores',
    'steal',
    'sockets lost since connect',
  ];
  const rows = servers.flatMap((server) =>
    server.runs.map((run): Row => [
      server.label,
      String(server.sockets),
      String(run.rate),
      fmt(run.deliveriesPerSecond, 0),
      `${run.delivered} / ${run.expected}`,
      fmt(run.latency.percentile(0.5), 2),
      fmt(run.latency.percentile(0.99), 2),
      fmt(run.latency.maxMs, 1),
      `${fmt(percentile(run.firstSocketMs, 0.5), 2)} / ${fmt(percentile(run.firstSocketMs, 0.99), 2)}`,
      fmt(run.serverCores, 2),
      fmt(run.deliveriesPerCpuSecond, 0),
      userKernel(run),
      sendSplit(run),
      fmt(run.segmentsPerDelivery, 2),
      fmt(run.maxRssMiB, 0),
      fmt(run.loadCores, 2),
      fmt(run.otherCores, 2),
      pct(run.steal),
      closes(run.closes),
    ]),
  );
  return [header, ...rows];
}

/** The run of `label` with `sockets` sockets at `rate`, if measured. */
export function findRun(r: FanoutResults, label: string, sockets: number, rate: number) {
  return r.servers.find((s) => s.label === label && s.sockets === sockets)?.runs.find((x) => x.rate === rate);
}

/**
 * realtime ÷ a baseline (ws unless said) in deliveries per server CPU-second, for each socket count and
 * rate measured for both.
 */
export function ratios(
  r: FanoutResults,
  baseline: string = BASELINE,
  subject: string = REALTIME,
): Array<{ sockets: number; rate: number; ratio: number }> {
  const out = [];
  for (const { sockets, runs } of r.settings.plans)
    for (const { rate } of runs) {
      const a = findRun(r, subject, sockets, rate)?.deliveriesPerCpuSecond;
      const b = findRun(r, baseline, sockets, rate)?.deliveriesPerCpuSecond;
      if (a !== undefined && b !== undefined) out.push({ sockets, rate, ratio: a / b });
    }
  return out;
}

/**
 * The targets, checked where the issue sets them (1000 sockets; p99 at the steady rate), for realtime
 * as deployed or (`subject`) with its write-coalescing window.
 */
export function targets(r: FanoutResults, subject: string = REALTIME) {
  const at1000 = ratios(r, BASELINE, subject).filter((x) => x.sockets === TARGET_SOCKETS);
  const ratioMet = at1000.length > 0 && at1000.every((x) => x.ratio >= TARGET_RATIO);
  const socketIoAt1000 = ratios(r, SOCKET_IO, subject).filter((x) => x.sockets === TARGET_SOCKETS);
  const socketIoMet =
    socketIoAt1000.length > 0 && socketIoAt1000.every((x) => x.ratio >= TARGET_RATIO_SOCKET_IO);
  const steady = r.settings.plans.find((p) => p.sockets === TARGET_SOCKETS)?.runs[0]?.rate ?? 50;
  const run = findRun(r, subject, TARGET_SOCKETS, steady);
  const p99 = run?.latency.percentile(0.99);
  const complete = run !== undefined && run.delivered === run.expected;
  const p99Met = p99 !== undefined && p99 < TARGET_P99_MS && complete;
  return { at1000, ratioMet, socketIoAt1000, socketIoMet, steady, p99, p99Met, complete };
}

/** Both servers the targets are checked for: realtime as deployed, and with the window. */
export const SUBJECTS = [REALTIME, REALTIME_COALESCED] as const;
