import type { ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ExchangeName, QueueName } from '@platform/contracts';
import type { BackoffOptions } from './backoff.js';
import type { ConsumerHandle } from './consumer.js';
import type { RetryPolicy } from './retry-policy.js';

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

/** A live exchange subscription: its broker queue name (server-named ones change on reconnect). */
export interface SubscriptionHandle extends ConsumerHandle {
  queueName(): string | null;
  /** Whether it is consuming on the current connection (readiness). */
  running(): boolean;
}

/** What the bus keeps consuming across reconnects: work-queue consumers and exchange subscriptions. */
export interface Attachment {
  readonly running: boolean;
  start(model: ChannelModel): Promise<void>;
  detach(): void;
  stop(timeoutMs: number): Promise<void>;
}
