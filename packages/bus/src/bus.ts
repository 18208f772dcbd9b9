import type { ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { namespaced, type Envelope, type ExchangeName, type QueueName } from '@platform/contracts';
import type { BackoffOptions } from './backoff.js';
import { Consumer, type ConsumerHandle, type MessageHandler } from './consumer.js';
import { assertEnvelope } from './envelope.js';
import { BusClosedError, BusError, PublishBufferFullError } from './errors.js';
import { BusMetrics } from './metrics.js';
import { Publisher } from './publisher.js';
import { ReconnectingConnection } from './reconnecting-connection.js';
import { ATTEMPT_HEADER, DEFAULT_RETRY_POLICY, assertRetryPolicy, type RetryPolicy } from './retry-policy.js';
import { assertTopology, deadLetterExchangeName, deadLetterQueueName, retryQueueName } from './topology.js';
import { traceHeaders } from './tracing.js';

/** Settings of `Bus.connect`. */
export interface BusOptions {
  url: string;
  /** Prefix of every exchange and queue name (`AMQP_NAMESPACE`); empty in production. */
  namespace: string;
  /** Shown by the broker (`rabbitmqctl list_connections client_properties`), e.g. `auth@pod-1`. */
  connectionName: string;
  logger: Logger;
  /** Messages held while disconnected or under backpressure before `publish` rejects (default 10 000). */
  bufferSize?: number;
  reconnect?: Partial<BackoffOptions>;
  /** Must be the same for every service of a namespace: the delays are baked into the retry queues. */
  retry?: RetryPolicy;
  /** AMQP heartbeat unless the URL sets one: how fast a silently dead connection is noticed (default 30). */
  heartbeatSeconds?: number;
  /** How long `close` waits for handlers and confirms before giving up on them (default 10 000 ms). */
  closeTimeoutMs?: number;
  /** Where the bus registers its metrics (published, consumed by outcome, queue depth, ...). */
  registry?: Registry;
}

/** Where to publish: an exchange (routing key defaults to the envelope type) or straight to a work queue. */
export type PublishTarget = { exchange: ExchangeName; routingKey?: string } | { queue: QueueName };

/** Per-message settings of `Bus.publish`. */
export interface PublishOptions {
  /**
   * Extra AMQP headers. W3C `traceparent` / `tracestate` of the active span are added unless given here
   * (the outbox relay passes the ones captured when the event was staged).
   */
  headers?: Record<string, string | number | boolean>;
  /**
   * Best effort (request logs): refused at once while the buffer is over a quarter full, so a broker
   * outage spends the buffer on messages that matter, not on telemetry.
   */
  bestEffort?: boolean;
}

/** Per-consumer settings. */
export interface ConsumeOptions {
  /** Unacked messages the broker hands this consumer at once (default 10). */
  prefetch?: number;
}

/** One AMQP connection per process: confirmed publishing, retrying consumers, automatic reconnect. */
export class Bus {
  private readonly connection: ReconnectingConnection;
  private readonly publisher: Publisher;
  private readonly logger: Logger;
  private readonly retry: RetryPolicy;
  private readonly metrics: BusMetrics;
  private readonly bufferSize: number;
  /** Logical names of consumed queues, for the queue-depth gauge. */
  private readonly consumedQueues = new Set<QueueName>();

  private constructor(private readonly options: BusOptions) {
    this.logger = options.logger.child({ component: 'bus', connectionName: options.connectionName });
    this.bufferSize = options.bufferSize ?? 10_000;
    this.publisher = new Publisher(this.bufferSize);
    this.metrics = new BusMetrics(options.registry, {
      queueDepths: () => this.queueDepths(),
      buffered: () => this.publisher.buffered,
      connected: () => this.isReady(),
    });
    this.retry = assertRetryPolicy(options.retry ?? DEFAULT_RETRY_POLICY);
    this.connection = new ReconnectingConnection(options, {
      logger: this.logger,
      messages: {
        restarting: 'restarting the amqp connection',
        lost: 'amqp connection lost; reconnecting',
        reestablished: 'amqp connection re-established',
        reconnectFailed: 'amqp reconnect failed',
      },
      prepare: (model) => this.preparePublishing(model),
      lost: () => this.publisher.detach(),
      lostContext: () => ({ buffered: this.publisher.buffered }),
      beforeClose: (timeoutMs) => this.settlePublishes(timeoutMs),
    });
  }

  /** Connects and asserts the topology; rejects if the first attempt fails, so bad settings fail fast. */
  static async connect(options: BusOptions): Promise<Bus> {
    const bus = new Bus(options);
    await bus.connection.open();
    return bus;
  }

  /** True while connected with the topology asserted: for readiness probes. */
  isReady(): boolean {
    return this.connection.current !== null && !this.connection.closing;
  }

  /** Publishes a persistent JSON envelope; resolves on the broker's confirm (buffered while disconnected). */
  publish(target: PublishTarget, envelope: Envelope, options: PublishOptions = {}): Promise<void> {
    if (this.connection.closing) return Promise.reject(new BusClosedError());
    try {
      assertEnvelope(envelope);
    } catch (error) {
      return Promise.reject(error);
    }
    const { namespace, connectionName } = this.options;
    const [exchange, routingKey] =
      'queue' in target
        ? ['', namespaced(namespace, target.queue)]
        : [namespaced(namespace, target.exchange), target.routingKey ?? envelope.type];
    const destination = 'queue' in target ? target.queue : target.exchange;
    if (options.bestEffort && this.publisher.buffered >= this.bufferSize / 4) {
      this.metrics.publishFailed.inc({ destination, code: 'best_effort_shed' });
      return Promise.reject(new PublishBufferFullError(this.bufferSize / 4));
    }
    const published = this.publisher.publish({
      exchange,
      routingKey,
      content: Buffer.from(JSON.stringify(envelope)),
      options: {
        persistent: true,
        messageId: envelope.id,
        type: envelope.type,
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        timestamp: Math.floor(Date.now() / 1000),
        appId: connectionName,
        headers: { ...traceHeaders(), ...withoutAttempt(options.headers) },
      },
    });
    return published.then(
      () => void this.metrics.published.inc({ destination }),
      (error: unknown) => {
        this.metrics.publishFailed.inc({
          destination,
          code: error instanceof BusError ? error.code : 'error',
        });
        throw error;
      },
    );
  }

  /**
   * Ready messages in each queue (by default the ones this bus consumes) and its dead-letter queue, read
   * on a throwaway channel so a failed check cannot take the publish channel down. Empty while disconnected.
   */
  async queueDepths(queues: Iterable<QueueName> = this.consumedQueues): Promise<Record<string, number>> {
    const model = this.connection.current;
    const names = [...queues];
    if (!model || names.length === 0) return {};
    const channel = await model.createChannel();
    channel.on('error', () => undefined);
    const { namespace } = this.options;
    const depths: Record<string, number> = {};
    try {
      for (const queue of names) {
        depths[queue] = (await channel.checkQueue(namespaced(namespace, queue))).messageCount;
        depths[`${queue}.dlq`] = (
          await channel.checkQueue(deadLetterQueueName(namespace, queue))
        ).messageCount;
      }
    } finally {
      await channel.close().catch(() => undefined);
    }
    return depths;
  }

  /** Consumes a work queue, resuming after reconnects; failed messages are retried, then dead-lettered. */
  async consume(
    queue: QueueName,
    handler: MessageHandler,
    options: ConsumeOptions = {},
  ): Promise<ConsumerHandle> {
    if (this.connection.closing) throw new BusClosedError();
    const { namespace } = this.options;
    this.consumedQueues.add(queue);
    const consumer = new Consumer({
      queue: namespaced(namespace, queue),
      label: queue,
      deadLetterExchange: deadLetterExchangeName(namespace, queue),
      metrics: this.metrics,
      retryQueue: (delayMs) => retryQueueName(namespace, queue, delayMs),
      handler,
      prefetch: options.prefetch ?? 10,
      retry: this.retry,
      logger: this.logger,
      republish: (message) => this.publisher.publishNow(message),
      onChannelLost: (model) => this.connection.restart(model, `consumer channel of ${queue} closed`),
    });
    await this.connection.add(consumer);
    return { cancel: () => this.connection.remove(consumer) };
  }

  /** Stops reconnecting, lets handlers and in-flight confirms settle, then closes the connection. */
  close(): Promise<void> {
    return this.connection.close();
  }

  /** Opens the publish channel and asserts the topology; the channel is attached once the connection is adopted. */
  private async preparePublishing(model: ChannelModel): Promise<() => void> {
    model.on('blocked', (reason: unknown) => this.logger.warn({ reason }, 'the broker blocks publishing'));
    model.on('unblocked', () => this.logger.info('the broker unblocked publishing'));
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: unknown) => this.logger.warn({ err: error }, 'amqp publish channel error'));
    channel.on('close', () => this.connection.restart(model, 'publish channel closed'));
    await assertTopology(channel, this.options.namespace, this.retry);
    return () => this.publisher.attach(channel);
  }

  /** Waits for the confirms of what is in flight (only while connected), then refuses further publishes. */
  private async settlePublishes(timeoutMs: number): Promise<void> {
    if (this.connection.current && !(await this.publisher.waitForIdle(timeoutMs))) {
      this.logger.warn({ buffered: this.publisher.buffered }, 'closing with unconfirmed publishes');
    }
    this.publisher.close();
  }
}

/** Copies the caller's headers minus the attempt counter, which only the retry mechanism may set. */
function withoutAttempt(headers: PublishOptions['headers'] = {}): Record<string, string | number | boolean> {
  const { [ATTEMPT_HEADER]: _reserved, ...rest } = headers;
  return rest;
}
