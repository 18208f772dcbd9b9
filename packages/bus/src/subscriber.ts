import type { Logger } from 'pino';
import type { BackoffOptions } from './backoff.js';
import type { ConsumerHandle, MessageHandler } from './consumer.js';
import { BusClosedError } from './errors.js';
import { ReconnectingConnection } from './reconnecting-connection.js';
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
  private readonly connection: ReconnectingConnection;
  private readonly logger: Logger;

  private constructor(private readonly options: SubscriberOptions) {
    this.logger = options.logger.child({ component: 'subscriber', connectionName: options.connectionName });
    this.connection = new ReconnectingConnection(options, {
      logger: this.logger,
      messages: {
        restarting: 'restarting the subscriber connection',
        lost: 'subscriber connection lost; reconnecting',
        reestablished: 'subscriber connection re-established',
        reconnectFailed: 'subscriber reconnect failed',
      },
    });
  }

  /** Connects; rejects if the first attempt fails, so bad settings fail fast. */
  static async connect(options: SubscriberOptions): Promise<Subscriber> {
    const subscriber = new Subscriber(options);
    await subscriber.connection.open();
    return subscriber;
  }

  /** True while connected and every subscription is consuming: for readiness probes. */
  isReady(): boolean {
    const { current, closing, users } = this.connection;
    return current !== null && !closing && [...users].every((s) => s.running);
  }

  /** Binds a queue to an exchange and consumes it, now and after every reconnect. */
  async subscribe(spec: SubscriptionSpec, handler: MessageHandler): Promise<SubscriptionHandle> {
    if (this.connection.closing) throw new BusClosedError();
    const subscription = new Subscription({
      ...spec,
      namespace: this.options.namespace,
      handler,
      logger: this.logger,
      onChannelLost: (model) =>
        this.connection.restart(model, `subscription channel of ${spec.exchange} closed`),
    });
    await this.connection.add(subscription);
    return {
      queueName: () => subscription.queueName,
      cancel: () => this.connection.remove(subscription),
    };
  }

  /** Cancels every subscription, lets handlers settle, closes the connection (exclusive queues go with it). */
  close(): Promise<void> {
    return this.connection.close();
  }

  /** For tests: drops the connection as a network failure would, to exercise the reconnect. */
  simulateConnectionLoss(): void {
    const model = this.connection.current;
    if (model) this.connection.restart(model, 'simulated connection loss');
  }
}
