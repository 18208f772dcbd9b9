import amqp, { type ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { namespaced, type Envelope, type ExchangeName, type QueueName } from '@platform/contracts';
import { DEFAULT_BACKOFF, reconnectDelay, type BackoffOptions } from './backoff.js';
import { Consumer, type ConsumerHandle, type MessageHandler } from './consumer.js';
import { assertEnvelope } from './envelope.js';
import { BusClosedError, BusError, PublishBufferFullError } from './errors.js';
import { BusMetrics } from './metrics.js';
import { Publisher } from './publisher.js';
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

const CONNECT_TIMEOUT_MS = 10_000;

/** One AMQP connection per process: confirmed publishing, retrying consumers, automatic reconnect. */
export class Bus {
  private model: ChannelModel | null = null;
  private ready = false;
  private closing = false;
  private closed: Promise<void> | null = null;
  private reconnectLoop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private readonly consumers = new Set<Consumer>();
  private readonly publisher: Publisher;
  private readonly logger: Logger;
  private readonly retry: RetryPolicy;
  private readonly backoff: BackoffOptions;
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
    this.backoff = { ...DEFAULT_BACKOFF, ...options.reconnect };
  }

  /** Connects and asserts the topology; rejects if the first attempt fails, so bad settings fail fast. */
  static async connect(options: BusOptions): Promise<Bus> {
    const bus = new Bus(options);
    await bus.open();
    return bus;
  }

  /** True while connected with the topology asserted: for readiness probes. */
  isReady(): boolean {
    return this.ready && !this.closing;
  }

  /** Publishes a persistent JSON envelope; resolves on the broker's confirm (buffered while disconnected). */
  publish(target: PublishTarget, envelope: Envelope, options: PublishOptions = {}): Promise<void> {
    if (this.closing) return Promise.reject(new BusClosedError());
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
    const model = this.model;
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
    if (this.closing) throw new BusClosedError();
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
      onChannelLost: (model) => this.restart(model, `consumer channel of ${queue} closed`),
    });
    this.consumers.add(consumer);
    const model = this.model;
    if (model) {
      try {
        await consumer.start(model);
      } catch (error) {
        // Lost with the connection: the reconnect starts it. Otherwise (e.g. no such queue) it is the caller's.
        if (this.model === model) {
          this.consumers.delete(consumer);
          throw error;
        }
      }
    }
    return {
      cancel: async () => {
        this.consumers.delete(consumer);
        await consumer.stop(this.options.closeTimeoutMs ?? 10_000);
      },
    };
  }

  /** Stops reconnecting, lets handlers and in-flight confirms settle, then closes the connection. */
  close(): Promise<void> {
    this.closed ??= this.shutdown();
    return this.closed;
  }

  private async shutdown(): Promise<void> {
    this.closing = true;
    this.ready = false;
    this.wakeUp?.();
    await this.reconnectLoop;
    const timeoutMs = this.options.closeTimeoutMs ?? 10_000;
    await Promise.all([...this.consumers].map((consumer) => consumer.stop(timeoutMs)));
    this.consumers.clear();
    if (this.model && !(await this.publisher.waitForIdle(timeoutMs))) {
      this.logger.warn({ buffered: this.publisher.buffered }, 'closing with unconfirmed publishes');
    }
    this.publisher.close();
    const model = this.model;
    this.model = null;
    await model?.close().catch((error: unknown) => this.logger.debug({ err: error }, 'amqp close failed'));
  }

  private async open(): Promise<void> {
    const { url, connectionName, namespace, heartbeatSeconds = 30 } = this.options;
    const model = await amqp.connect(withHeartbeat(url, heartbeatSeconds), {
      clientProperties: { connection_name: connectionName },
      timeout: CONNECT_TIMEOUT_MS,
    });
    // A close during setup may come before this.model is set, where onConnectionLost would ignore it.
    let alive = true;
    model.on('error', (error: unknown) => this.logger.warn({ err: error }, 'amqp connection error'));
    model.on('close', () => {
      alive = false;
      this.onConnectionLost(model);
    });
    model.on('blocked', (reason: unknown) => this.logger.warn({ reason }, 'the broker blocks publishing'));
    model.on('unblocked', () => this.logger.info('the broker unblocked publishing'));
    try {
      const channel = await model.createConfirmChannel();
      channel.on('error', (error: unknown) => this.logger.warn({ err: error }, 'amqp publish channel error'));
      channel.on('close', () => {
        alive = false;
        this.restart(model, 'publish channel closed');
      });
      await assertTopology(channel, namespace, this.retry);
      // consume() calls that land while we connect add consumers that the first pass did not see.
      for (let idle = this.idleConsumers(); idle.length > 0; idle = this.idleConsumers()) {
        for (const consumer of idle) await consumer.start(model);
        if (!alive) break;
      }
      if (!alive) throw new Error('the connection closed while it was being set up');
      this.model = model;
      this.publisher.attach(channel);
      this.ready = true;
    } catch (error) {
      await model.close().catch(() => undefined);
      throw error;
    }
  }

  private idleConsumers(): Consumer[] {
    return [...this.consumers].filter((consumer) => !consumer.running);
  }

  /** Drops a connection whose channel died, so that everything is rebuilt on a fresh one. */
  private restart(model: ChannelModel, reason: string): void {
    if (this.closing) return;
    if (this.model === model) {
      this.logger.warn({ reason }, 'restarting the amqp connection');
      this.onConnectionLost(model);
    }
    model.close().catch(() => undefined);
  }

  private onConnectionLost(model: ChannelModel): void {
    if (this.model !== model) return;
    this.model = null;
    this.ready = false;
    this.publisher.detach();
    for (const consumer of this.consumers) consumer.detach();
    if (this.closing) return;
    this.logger.warn({ buffered: this.publisher.buffered }, 'amqp connection lost; reconnecting');
    this.reconnectLoop ??= this.reconnect();
  }

  private async reconnect(): Promise<void> {
    try {
      for (let attempt = 0; !this.closing && !this.model; attempt++) {
        await this.sleep(reconnectDelay(attempt, this.backoff));
        if (this.closing) return;
        try {
          await this.open();
          this.logger.info({ attempts: attempt + 1 }, 'amqp connection re-established');
        } catch (error) {
          this.logger.warn({ err: error, attempts: attempt + 1 }, 'amqp reconnect failed');
        }
      }
    } finally {
      // Synchronously with the loop's end, so a loss right after this finds no loop and starts one.
      this.reconnectLoop = null;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
    });
  }
}

/** Copies the caller's headers minus the attempt counter, which only the retry mechanism may set. */
function withoutAttempt(headers: PublishOptions['headers'] = {}): Record<string, string | number | boolean> {
  const { [ATTEMPT_HEADER]: _reserved, ...rest } = headers;
  return rest;
}

/** Adds a heartbeat to the URL unless it has one: amqplib's default of 0 never notices a dead peer. */
function withHeartbeat(url: string, seconds: number): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', String(seconds));
  return parsed.toString();
}
