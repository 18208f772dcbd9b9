import amqp, { type Channel } from 'amqplib';
import { EXCHANGES, QUEUES, namespaced, type QueueName } from '@platform/contracts';
import {
  DEFAULT_RETRY_POLICY,
  assertRetryPolicy,
  retryDelaysInUse,
  type RetryPolicy,
} from './retry-policy.js';

/*
 * The whole broker topology of one namespace, declared once and asserted on every (re)connect.
 *
 * Each work queue `<q>` (email, logs) gets:
 *   - `<q>.dlx`, a fanout dead-letter exchange, and `<q>.dlq` bound to it. The broker dead-letters
 *     into it when a consumer rejects a message without requeue (poison message, last attempt failed).
 *   - `<q>.retry.<ms>ms`, one queue per retry delay, with `x-message-ttl` = that delay and dead-lettering
 *     back to `<q>` through the default exchange. A failed message is republished there (with its attempt
 *     number in a header), waits out the TTL, then returns to `<q>`.
 *
 * Why one queue per delay rather than a single `<q>.retry` with a per-message `expiration`: RabbitMQ only
 * expires messages at the head of a queue, so a message waiting 60 s would hold back every 1 s retry
 * queued behind it. With one TTL per queue all its messages expire in FIFO order and none waits longer
 * than its own delay. The price is a few more queues; the queue name carries the delay, so changing the
 * policy declares new queues instead of failing on a PRECONDITION_FAILED argument mismatch.
 */

/** An exchange to declare. */
export interface ExchangeSpec {
  name: string;
  type: 'topic' | 'fanout';
}

/** A queue to declare, with its `x-` arguments. */
export interface QueueSpec {
  name: string;
  arguments: Record<string, string | number>;
}

/** A queue bound to an exchange. */
export interface BindingSpec {
  queue: string;
  exchange: string;
  pattern: string;
}

/** Every exchange, queue and binding of one namespace, fully named. */
export interface TopologySpec {
  exchanges: ExchangeSpec[];
  queues: QueueSpec[];
  bindings: BindingSpec[];
}

/** Events routed from the `events` topic exchange into a work queue, besides direct sends to it. */
const WORK_QUEUE_BINDINGS: Record<QueueName, string[]> = {
  email: [],
  // Request and audit logs may be published as `log.*` events; worker-logs reads them from here.
  logs: ['log.#'],
  media: ['media.uploaded'],
};

/** Name of a work queue's dead-letter exchange. */
export function deadLetterExchangeName(namespace: string, queue: QueueName): string {
  return namespaced(namespace, `${queue}.dlx`);
}

/** Name of a work queue's dead-letter queue. */
export function deadLetterQueueName(namespace: string, queue: QueueName): string {
  return namespaced(namespace, `${queue}.dlq`);
}

/** Name of the retry queue holding messages of `queue` for `delayMs`. */
export function retryQueueName(namespace: string, queue: QueueName, delayMs: number): string {
  return namespaced(namespace, `${queue}.retry.${delayMs}ms`);
}

/** The topology of a namespace as data, so asserting and deleting can never disagree. */
export function describeTopology(namespace: string, retry: RetryPolicy = DEFAULT_RETRY_POLICY): TopologySpec {
  assertRetryPolicy(retry);
  const spec: TopologySpec = {
    exchanges: [
      { name: namespaced(namespace, EXCHANGES.events), type: 'topic' },
      { name: namespaced(namespace, EXCHANGES.notifications), type: 'fanout' },
      { name: namespaced(namespace, EXCHANGES.chat), type: 'fanout' },
    ],
    queues: [],
    bindings: [],
  };
  for (const queue of Object.values(QUEUES)) {
    const main = namespaced(namespace, queue);
    const dlx = deadLetterExchangeName(namespace, queue);
    const dlq = deadLetterQueueName(namespace, queue);
    spec.exchanges.push({ name: dlx, type: 'fanout' });
    spec.queues.push({ name: main, arguments: { 'x-dead-letter-exchange': dlx } });
    spec.queues.push({ name: dlq, arguments: {} });
    spec.bindings.push({ queue: dlq, exchange: dlx, pattern: '' });
    for (const delayMs of retryDelaysInUse(retry)) {
      spec.queues.push({
        name: retryQueueName(namespace, queue, delayMs),
        arguments: {
          'x-message-ttl': delayMs,
          'x-dead-letter-exchange': '',
          'x-dead-letter-routing-key': main,
        },
      });
    }
    for (const pattern of WORK_QUEUE_BINDINGS[queue]) {
      spec.bindings.push({ queue: main, exchange: namespaced(namespace, EXCHANGES.events), pattern });
    }
  }
  return spec;
}

/** Declares the namespace's exchanges, queues and bindings (idempotent; all durable). */
export async function assertTopology(
  channel: Channel,
  namespace: string,
  retry: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<void> {
  const spec = describeTopology(namespace, retry);
  for (const exchange of spec.exchanges) {
    await channel.assertExchange(exchange.name, exchange.type, { durable: true, autoDelete: false });
  }
  for (const queue of spec.queues) {
    await channel.assertQueue(queue.name, { durable: true, autoDelete: false, arguments: queue.arguments });
  }
  for (const binding of spec.bindings) {
    await channel.bindQueue(binding.queue, binding.exchange, binding.pattern);
  }
}

/** Deletes everything `assertTopology` declares for a namespace; for tests, so it refuses an empty one. */
export async function deleteTopology(
  url: string,
  namespace: string,
  retry: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<void> {
  if (!namespace) throw new Error('deleteTopology needs a namespace; it never deletes the shared topology');
  const spec = describeTopology(namespace, retry);
  const connection = await amqp.connect(url);
  // A failed delete closes the channel and would reject the close; the first error is the one to report.
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    for (const queue of spec.queues) await channel.deleteQueue(queue.name);
    for (const exchange of spec.exchanges) await channel.deleteExchange(exchange.name);
    await channel.close();
  } finally {
    await connection.close().catch(() => undefined);
  }
}
