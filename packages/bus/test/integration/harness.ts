// Shared by the integration tests: a namespaced bus, a log capture, broker inspection and rabbitmqctl.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import amqp, { type ConfirmChannel } from 'amqplib';
import { pino, type Logger } from 'pino';
import { backingServices, uniqueId } from '@platform/test-services';
import { Bus, deleteTopology, type BusOptions, type RetryPolicy } from '../../src/index.js';

const exec = promisify(execFile);

/** Short delays so that retry tests finish in about a second. */
export const TEST_RETRY: RetryPolicy = { delaysMs: [200, 400], maxAttempts: 3 };

export type LogLine = Record<string, unknown> & { msg?: string };

/** A pino logger whose JSON lines land in `lines`, so tests can assert what was logged. */
export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  );
  return { logger, lines };
}

export interface TestBus {
  bus: Bus;
  namespace: string;
  connectionName: string;
  lines: LogLine[];
  /** `namespace.name`. */
  name(name: string): string;
  /** Closes the bus and deletes the namespace's topology. */
  dispose(): Promise<void>;
}

/** Connects a bus in a fresh namespace of its own. */
export async function connectTestBus(options: Partial<BusOptions> = {}): Promise<TestBus> {
  const url = amqpUrl();
  const namespace = uniqueId('bus');
  const connectionName = `bus-test-${namespace}`;
  const { logger, lines } = captureLogger();
  const retry = options.retry ?? TEST_RETRY;
  const bus = await Bus.connect({ url, namespace, connectionName, logger, retry, ...options });
  return {
    bus,
    namespace,
    connectionName,
    lines,
    name: (name) => `${namespace}.${name}`,
    dispose: async () => {
      await bus.close();
      await deleteTopology(url, namespace, retry);
    },
  };
}

export function amqpUrl(): string {
  return backingServices().amqpUrl;
}

/**
 * Runs `fn` on a confirm channel of a separate, short-lived connection (the test's view of the broker).
 * amqplib can put the connection close on the wire before earlier publishes, so await `waitForConfirms`.
 */
export async function withChannel<T>(fn: (channel: ConfirmChannel) => Promise<T>): Promise<T> {
  const connection = await amqp.connect(amqpUrl());
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createConfirmChannel();
    // A failed passive check closes the channel; the rejected call is what the test looks at.
    channel.on('error', () => undefined);
    return await fn(channel);
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** Messages ready in a queue (not counting unacked ones). */
export function messageCount(queue: string): Promise<number> {
  return withChannel(async (channel) => (await channel.checkQueue(queue)).messageCount);
}

/** Takes every ready message out of a queue. */
export function drain(queue: string): Promise<amqp.GetMessage[]> {
  return withChannel(async (channel) => {
    const messages: amqp.GetMessage[] = [];
    const next = () => channel.get(queue, { noAck: true });
    for (let message = await next(); message; message = await next()) messages.push(message);
    return messages;
  });
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Pids of the broker connections whose client-provided `connection_name` is `name`. */
export async function connectionPids(name: string): Promise<string[]> {
  const { stdout } = await exec('rabbitmqctl', ['list_connections', '-q', 'pid', 'client_properties']);
  const marker = `{"connection_name","${name}"}`;
  return stdout
    .split('\n')
    .filter((line) => line.includes(marker))
    .map((line) => line.split('\t')[0] ?? '')
    .filter(Boolean);
}

/** Closes, on the broker side, the one connection named `name` and no other. */
export async function closeConnectionOnBroker(name: string): Promise<void> {
  const pids = await connectionPids(name);
  if (pids.length !== 1) throw new Error(`expected one connection named ${name}, found ${pids.length}`);
  await exec('rabbitmqctl', [
    'close_connection',
    pids[0] ?? '',
    'integration test: simulated broker restart',
  ]);
}
