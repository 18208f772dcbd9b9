import type { TemplatedApp } from 'uWebSockets.js';
import { track, writeJson, writeProblem } from './respond.js';

/** A named dependency check for /ready; it rejects when the dependency is not usable. */
export type ReadinessCheck = () => Promise<unknown>;

const CHECK_TIMEOUT_MS = 2000;

async function passes(check: ReadinessCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise(
        (_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS)),
      ),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET /health (the process is alive) and GET /ready (every dependency answers, or 503 problem+json
 * naming which), with the same bodies as the Koa services so probes and dashboards read them alike.
 * A draining instance reports not ready, so the Service stops sending it new sockets.
 */
export function registerHealthRoutes(
  app: TemplatedApp,
  checks: Record<string, ReadinessCheck>,
  isDraining: () => boolean,
): void {
  app.get('/health', (res) => writeJson(res, 200, { status: 'ok' }));
  app.get('/ready', (res) => {
    const tracked = track(res);
    void (async () => {
      const results = await Promise.all(
        Object.entries(checks).map(
          async ([name, check]) => [name, (await passes(check)) ? 'ok' : 'unavailable'] as const,
        ),
      );
      const status = Object.fromEntries(results);
      const failing = results.filter(([, value]) => value !== 'ok').map(([name]) => name);
      if (isDraining()) failing.push('shutting-down');
      if (failing.length === 0) return writeJson(tracked, 200, { status: 'ready', checks: status });
      writeProblem(tracked, 'not_ready', `Not ready: ${failing.join(', ')}.`, {
        body: { checks: status },
      });
    })();
  });
}
