import amqp, { type ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import { DEFAULT_BACKOFF, reconnectDelay, type BackoffOptions } from './backoff.js';
import type { ConsumerHandle, MessageHandler } from './consumer.js';
import { BusClosedError } from './errors.js';
import { Subscription, type SubscriptionSpec } from './subscription.js';

/** Settings of `Subscriber.connect`. */
export interface SubscriberOptions {
  url: string;
  namespace: string;
  /** Shown by the broker, e.g. `realtime@pod-1/subscriber`. */
  connectionName: string;
  logger: Logger;
  reconnect?: Partial<BackoffOptions>;
  heartbeatSeconds?: number;
  /** How long `close` waits for handlers in progress (default 10 000 ms). */
  closeTimeoutMs?: number;
}

/** A live subscription: its current broker queue name (server-named ones change on reconnect). */
export interface SubscriptionHandle extends ConsumerHandle {
  queueName(): string | null;
}

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Exchange subscriptions on a connection of their own, re-declared and re-bound after every reconnect.
 *
 * Why not `Bus.consume`: that consumes the fixed work queues of the topology, with retry queues and a
 * dead-letter exchange per queue. A socket-tier instance needs a queue that exists only while it lives
 * (exclusive, server-named), and whose binding must be recreated on each new connection; the broker
 * ties an exclusive queue to the connection that declared it, so a separate connection also means the
 * publisher's reconnects never silently drop this process's fanout queue, and vice versa.
 */
export class Subscriber {
  private model: ChannelModel | null = null;
  private closing = false;
  private closed: Promise<void> | null = null;
  private reconnectLoop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private readonly subscriptions = new Set<Subscription>();
  private readonly logger: Logger;
  private readonly backoff: BackoffOptions;

  private constructor(private readonly options: SubscriberOptions) {
    this.logger = options.logger.child({ component: 'subscriber', connectionName: options.connectionName });
    this.backoff = { ...DEFAULT_BACKOFF, ...options.reconnect };
  }

  /** Connects; rejects if the first attempt fails, so bad settings fail fast. */
  static async connect(options: SubscriberOptions): Promise<Subscriber> {
    const subscriber = new Subscriber(options);
    await subscriber.open();
    return subscriber;
  }

  /** True while connected and every subscription is consuming: for readiness probes. */
  isReady(): boolean {
    return this.model !== null && !this.closing && [...this.subscriptions].every((s) => s.running);
  }

  /** Binds a queue to an exchange and consumes it, now and after every reconnect. */
  async subscribe(spec: SubscriptionSpec, handler: MessageHandler): Promise<SubscriptionHandle> {
    if (this.closing) throw new BusClosedError();
    const subscription = new Subscription({
      ...spec,
      namespace: this.options.namespace,
      handler,
      logger: this.logger,
      onChannelLost: (model) => this.restart(model, `subscription channel of ${spec.exchange} closed`),
    });
    this.subscriptions.add(subscription);
    const model = this.model;
    if (model) {
      try {
        await subscription.start(model);
      } catch (error) {
        if (this.model === model) {
          this.subscriptions.delete(subscription);
          throw error;
        }
      }
    }
    return {
      queueName: () => subscription.queueName,
      cancel: async () => {
        this.subscriptions.delete(subscription);
        await subscription.stop(this.options.closeTimeoutMs ?? 10_000);
      },
    };
  }

  /** Cancels every subscription, lets handlers settle, closes the connection (exclusive queues go with it). */
  close(): Promise<void> {
    this.closed ??= this.shutdown();
    return this.closed;
  }

  /** For tests: drops the connection as a network failure would, to exercise the reconnect. */
  simulateConnectionLoss(): void {
    const model = this.model;
    if (model) this.restart(model, 'simulated connection loss');
  }

  private async shutdown(): Promise<void> {
    this.closing = true;
    this.wakeUp?.();
    await this.reconnectLoop;
    const timeoutMs = this.options.closeTimeoutMs ?? 10_000;
    await Promise.all([...this.subscriptions].map((s) => s.stop(timeoutMs)));
    this.subscriptions.clear();
    const model = this.model;
    this.model = null;
    await model?.close().catch((error: unknown) => this.logger.debug({ err: error }, 'amqp close failed'));
  }

  private async open(): Promise<void> {
    const { url, connectionName, heartbeatSeconds = 30 } = this.options;
    const parsed = new URL(url);
    if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', String(heartbeatSeconds));
    const model = await amqp.connect(parsed.toString(), {
      clientProperties: { connection_name: connectionName },
      timeout: CONNECT_TIMEOUT_MS,
    });
    let alive = true;
    model.on('error', (error: unknown) => this.logger.warn({ err: error }, 'amqp connection error'));
    model.on('close', () => {
      alive = false;
      this.onConnectionLost(model);
    });
    try {
      // subscribe() calls landing while we connect add subscriptions the first pass did not see.
      for (let idle = this.idle(); idle.length > 0; idle = this.idle()) {
        for (const subscription of idle) await subscription.start(model);
        if (!alive) break;
      }
      if (!alive) throw new Error('the connection closed while it was being set up');
      this.model = model;
    } catch (error) {
      await model.close().catch(() => undefined);
      throw error;
    }
  }

  private idle(): Subscription[] {
    return [...this.subscriptions].filter((s) => !s.running);
  }

  private restart(model: ChannelModel, reason: string): void {
    if (this.closing) return;
    if (this.model === model) {
      this.logger.warn({ reason }, 'restarting the subscriber connection');
      this.onConnectionLost(model);
    }
    model.close().catch(() => undefined);
  }

  private onConnectionLost(model: ChannelModel): void {
    if (this.model !== model) return;
    this.model = null;
    for (const subscription of this.subscriptions) subscription.detach();
    if (this.closing) return;
    this.logger.warn('subscriber connection lost; reconnecting');
    this.reconnectLoop ??= this.reconnect();
  }

  private async reconnect(): Promise<void> {
    try {
      for (let attempt = 0; !this.closing && !this.model; attempt++) {
        await this.sleep(reconnectDelay(attempt, this.backoff));
        if (this.closing) return;
        try {
          await this.open();
          this.logger.info({ attempts: attempt + 1 }, 'subscriber connection re-established');
        } catch (error) {
          this.logger.warn({ err: error, attempts: attempt + 1 }, 'subscriber reconnect failed');
        }
      }
    } finally {
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
