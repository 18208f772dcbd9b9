import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  ramGiB: number;
  node: string;
  date: string;
  /** 1-minute load average before the bench started (it includes earlier benches, decaying). */
  loadBefore: number;
  /** Share of all cores busy over the 2 s before the bench started: other work skews every number. */
  busyBefore: number | undefined;
}

/** The machine as the bench finds it; samples the CPU for 2 s to see whether something else runs. */
export async function machineInfo(): Promise<MachineInfo> {
  const before = machineCpuTicks();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const after = machineCpuTicks();
  return {
    cores: availableParallelism(),
    cpuModel: cpuModel(),
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    loadBefore: loadavg()[0] ?? 0,
    busyBefore:
      before && after ? (after.busy - before.busy) / Math.max(1, after.total - before.total) : undefined,
  };
}

/** Something else kept the machine this busy before the bench: its numbers are not comparable. */
export const BUSY_WARNING_THRESHOLD = 0.15;

export function describeMachine(m: MachineInfo): string {
  const busy = m.busyBefore === undefined ? 'n/a' : `${Math.round(m.busyBefore * 100)}%`;
  return `${m.cores} cores (${m.cpuModel}), ${m.ramGiB} GiB RAM, Node ${m.node}; before the run: load average ${m.loadBefore.toFixed(2)}, CPU ${busy} busy`;
}

/** A line for the terminal and the doc when the machine was not idle before the bench started. */
export function busyWarning(m: MachineInfo): string | undefined {
  if (m.busyBefore === undefined || m.busyBefore < BUSY_WARNING_THRESHOLD) return undefined;
  return `Warning: the CPU was ${Math.round(m.busyBefore * 100)}% busy before the bench started, so other work shared the cores with it; rerun on a quiet machine before comparing these numbers.`;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1]?.trim() ?? 'unknown';
  } catch {
    // not Linux: fall through to what os reports
  }
  return cpus()[0]?.model ?? 'unknown';
}

let ticksPerSecond: number | undefined;

/** Clock ticks per second for /proc times (almost always 100, but ask rather than assume). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU seconds of another process, from /proc/<pid>/stat; undefined when unreadable. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; the numeric fields start after its ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / clockTicks();
  } catch {
    return undefined;
  }
}

/**
 * Busy, stolen and total jiffies of the whole machine, from /proc/stat; undefined when unreadable.
 * Steal is time the hypervisor gave our virtual CPUs to someone else: on a shared VM it makes runs
 * noisy, so it is reported next to every result.
 */
export function machineCpuTicks(): { busy: number; steal: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    // user nice system idle iowait irq softirq steal; guest time is already counted in user.
    const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = values.reduce((sum, v) => sum + v, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
    return { busy: total - idle, steal: values[7] ?? 0, total };
  } catch {
    return undefined;
  }
}

/** A line for the doc when the hypervisor took a noticeable share of the CPU during some run. */
export function stealWarning(steals: (number | undefined)[]): string | undefined {
  const worst = Math.max(0, ...steals.map((s) => s ?? 0));
  if (worst < 0.1) return undefined;
  return `Steal reached ${Math.round(worst * 100)}% in a run: the hypervisor gave that share of the CPU to other guests, which slows that run without any change in the code. The CPU time per request is the number least affected.`;
}

/** Measures the machine and says on the terminal what a bench named `name` runs on, warning when busy. */
export async function announceMachine(name: string): Promise<MachineInfo> {
  const machine = await machineInfo();
  console.log(`${name} on ${describeMachine(machine)}`);
  const warning = busyWarning(machine);
  if (warning) console.warn(warning);
  return machine;
}

/** Resident set size of a process in MiB, from /proc/<pid>/status; undefined when unreadable. */
export function rssMiB(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    const kib = Number(line?.split(/\s+/)[1]);
    return Number.isFinite(kib) ? kib / 1024 : undefined;
  } catch {
    return undefined;
  }
}
