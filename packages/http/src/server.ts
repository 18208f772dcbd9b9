import { createServer, type Server } from 'node:http';
import type { Logger } from '@platform/observability';
import type { HttpApp } from './create-app.js';
import { exitOnSignals } from './shutdown.js';

export interface RunOptions {
  app: HttpApp;
  port: number;
  host: string;
  log: Logger;
  /** How long in-flight requests may take to finish after SIGTERM. */
  graceMs: number;
  /** Closes pools and connections once no request is in flight. */
  onClose: () => Promise<void>;
  /** Drains the process's other listeners (a gRPC port) alongside, before `onClose`. */
  onDrain?: () => Promise<void>;
}

export interface RunningServer {
  server: Server;
  port: number;
  /** Graceful stop: refuse new connections, finish in-flight requests, then `onClose`. */
  stop: () => Promise<void>;
}

/** Listens and installs SIGTERM/SIGINT handlers that drain before exiting. */
export async function runHttpServer(options: RunOptions): Promise<RunningServer> {
  const running = await listen(options);
  exitOnSignals(options.log, running.stop);
  return running;
}

/** Listens without touching process signals (tests drive `stop` themselves). */
export async function listen({
  app,
  port,
  host,
  log,
  graceMs,
  onClose,
  onDrain,
}: RunOptions): Promise<RunningServer> {
  const server = createServer(app.callback());
  server.keepAliveTimeout = 65_000; // longer than common load-balancer idle timeouts
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  log.info({ port: actualPort, host }, 'listening');

  const stop = async () => {
    app.draining.value = true;
    const others = onDrain?.();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => {
      log.warn('grace period over; closing remaining connections');
      server.closeAllConnections();
    }, graceMs);
    timer.unref();
    await closed;
    clearTimeout(timer);
    await others;
    await onClose();
    log.info('stopped');
  };
  return { server, port: actualPort, stop };
}
