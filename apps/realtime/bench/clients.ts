import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { processCpuSeconds, tsxImport } from '@platform/benchkit';
import { LatencyHistogram } from './histogram.js';
import type { ClientReplies, ClientRequest, ClientStats, CloseRecord } from './protocol.js';

const script = fileURLToPath(new URL('./load-client.ts', import.meta.url));

/** One forked load-client process and its pending requests. */
class ClientProcess {
  private next = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly exited: Promise<void>;

  constructor(readonly child: ChildProcess) {
    child.on('message', (message: { id: number; reply?: unknown; error?: string }) => {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(`load client: ${message.error}`));
      else waiter?.resolve(message.reply);
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        for (const waiter of this.pending.values()) waiter.reject(new Error(`load client exited (${code})`));
        this.pending.clear();
        resolve();
      }),
    );
  }

  request<C extends ClientRequest>(request: C): Promise<ClientReplies[C['cmd']]> {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, request });
    });
  }
}

/** What all load clients together saw during one run. */
export interface RunStats {
  frames: number;
  otherFrames: number;
  firstAt: number;
  lastAt: number;
  open: number;
  closes: Record<string, number>;
  closeLog: CloseRecord[];
  latency: LatencyHistogram;
  /** Each message's latency to the first socket that got it, ascending. */
  firstSocketMs: number[];
  /** Each message: [sentAt, ms to its first socket, ms to its last socket], in publishing order. */
  messages: Array<[number, number, number]>;
}

/**
 * The sockets of one measured server, split over `processes` load-client processes (each its own
 * event loop, so on 2 cores two of them can receive in parallel).
 */
export class LoadClients {
  private constructor(private readonly processes: ClientProcess[]) {}

  static start(count: number): LoadClients {
    const processes = Array.from(
      { length: count },
      () =>
        new ClientProcess(
          fork(script, [], {
            execArgv: ['--import', tsxImport()],
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          }),
        ),
    );
    return new LoadClients(processes);
  }

  /**
   * Opens one socket per token, the tokens dealt round-robin over the processes. With
   * `spreadAddresses`, process p connects from 127.0.0.(2 + p): each source address has its own
   * ephemeral port range, so many thousands of sockets never exhaust one.
   */
  async connect(
    url: string,
    tokens: string[],
    protocol: 'plain' | 'socket.io' = 'plain',
    options: { spreadAddresses?: boolean } = {},
  ): Promise<{ open: number; errors: Record<string, number> }> {
    const shares = this.processes.map((_, p) => tokens.filter((_, i) => i % this.processes.length === p));
    const replies = await Promise.all(
      this.processes.map((client, p) =>
        client.request({
          cmd: 'connect',
          url,
          tokens: shares[p] ?? [],
          concurrency: 25,
          protocol,
          ...(options.spreadAddresses ? { localAddress: `127.0.0.${2 + p}` } : {}),
        }),
      ),
    );
    const errors: Record<string, number> = {};
    for (const reply of replies)
      for (const [why, n] of Object.entries(reply.errors)) errors[why] = (errors[why] ?? 0) + n;
    return { open: replies.reduce((sum, r) => sum + r.open, 0), errors };
  }

  async start(): Promise<void> {
    await Promise.all(this.processes.map((client) => client.request({ cmd: 'start' })));
  }

  async count(): Promise<{ frames: number; otherFrames: number; open: number }> {
    const replies = await Promise.all(this.processes.map((client) => client.request({ cmd: 'count' })));
    return {
      frames: replies.reduce((sum, r) => sum + r.frames, 0),
      otherFrames: replies.reduce((sum, r) => sum + r.otherFrames, 0),
      open: replies.reduce((sum, r) => sum + r.open, 0),
    };
  }

  async stop(): Promise<RunStats> {
    const replies: ClientStats[] = await Promise.all(
      this.processes.map((client) => client.request({ cmd: 'stop' })),
    );
    const latency = new LatencyHistogram();
    const closes: Record<string, number> = {};
    for (const reply of replies) {
      latency.merge(reply.histogram, reply.maxMs, reply.sumMs);
      for (const [code, n] of Object.entries(reply.closes)) closes[code] = (closes[code] ?? 0) + n;
    }
    const finite = (values: number[]) => values.filter((v) => Number.isFinite(v));
    const messages = new Map<number, [number, number, number]>();
    for (const reply of replies)
      for (const [sentAt, first, last] of reply.arrivals) {
        const seen = messages.get(sentAt);
        if (!seen) messages.set(sentAt, [sentAt, first, last]);
        else messages.set(sentAt, [sentAt, Math.min(seen[1], first), Math.max(seen[2], last)]);
      }
    const ordered = [...messages.values()].sort((a, b) => a[0] - b[0]);
    return {
      frames: replies.reduce((sum, r) => sum + r.frames, 0),
      otherFrames: replies.reduce((sum, r) => sum + r.otherFrames, 0),
      firstAt: Math.min(...finite(replies.map((r) => r.firstAt))),
      lastAt: Math.max(...finite(replies.map((r) => r.lastAt))),
      open: replies.reduce((sum, r) => sum + r.open, 0),
      closes,
      closeLog: replies.flatMap((r) => r.closeLog),
      latency,
      firstSocketMs: ordered.map((m) => m[1]).sort((a, b) => a - b),
      messages: ordered,
    };
  }

  /** CPU seconds the load-client processes have used so far (undefined without /proc). */
  cpuSeconds(): number | undefined {
    let total = 0;
    for (const client of this.processes) {
      const seconds = client.child.pid === undefined ? undefined : processCpuSeconds(client.child.pid);
      if (seconds === undefined) return undefined;
      total += seconds;
    }
    return total;
  }

  /** Closes the sockets (close frames, then terminate after 2 s) and ends the processes. */
  async close(): Promise<void> {
    await Promise.all(
      this.processes.map(async (client) => {
        if (client.child.exitCode === null) {
          await client.request({ cmd: 'close' }).catch(() => undefined);
          client.child.disconnect();
        }
        const timer = setTimeout(() => client.child.kill('SIGKILL'), 5000);
        await client.exited;
        clearTimeout(timer);
      }),
    );
  }
}
