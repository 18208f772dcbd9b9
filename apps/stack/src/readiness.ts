import net from 'node:net';
import { describeError } from './errors.js';

/** `true` when ready, else why not (for the timeout message). */
export type ReadyCheck = (url: string, signal: AbortSignal) => Promise<true | string>;

/** GET `url` and call it ready on a 200. */
export const httpReadyCheck: ReadyCheck = async (url, signal) => {
  try {
    const response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(2_000)]) });
    await response.body?.cancel();
    return response.status === 200 ? true : `answered ${response.status}`;
  } catch (error) {
    if (signal.aborted) throw error;
    return `no answer (${describeError(error)})`;
  }
};

export interface ReadyTarget {
  name: string;
  url: string;
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Aborting (a shutdown, a child that died) ends the wait at once with the abort reason. */
  signal: AbortSignal;
  check?: ReadyCheck;
}

/** Raised when some services did not become ready in time; names each with its last answer. */
export class NotReadyError extends Error {
  constructor(
    readonly pending: ReadonlyMap<string, string>,
    timeoutMs: number,
  ) {
    const list = [...pending.entries()].map(([name, why]) => `${name} (${why})`).join(', ');
    super(`Not ready after ${Math.round(timeoutMs / 1000)} s: ${list}. Its log lines above say why.`);
    this.name = 'NotReadyError';
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Polls every target until each answers ready, or throws NotReadyError when `timeoutMs` runs out. */
export async function waitUntilReady(targets: readonly ReadyTarget[], options: WaitOptions): Promise<void> {
  const { timeoutMs, intervalMs = 250, signal, check = httpReadyCheck } = options;
  const deadline = Date.now() + timeoutMs;
  const pending = new Map(targets.map((t) => [t.name, 'not polled yet']));
  for (;;) {
    if (signal.aborted) throw signal.reason;
    await Promise.all(
      targets
        .filter((t) => pending.has(t.name))
        .map(async (t) => {
          const result = await check(t.url, signal);
          if (result === true) pending.delete(t.name);
          else pending.set(t.name, result);
        }),
    );
    if (pending.size === 0) return;
    if (Date.now() >= deadline) throw new NotReadyError(pending, timeoutMs);
    await sleep(intervalMs, signal);
  }
}

/** Whether something already listens on host:port (a previous run, another app). */
export function portInUse(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (error) => resolve('code' in error && error.code === 'EADDRINUSE'));
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });
}
