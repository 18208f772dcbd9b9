import type { Channel, ChannelModel, ConsumeMessage, MessageFields, MessageProperties } from 'amqplib';
import type { Logger } from 'pino';
import type { Envelope } from '@platform/contracts';
import { InFlight, drain, settle } from './drain.js';
import { decodeEnvelope } from './envelope.js';
import { BusDisconnectedError, PermanentFailure } from './errors.js';
import type { BusMetrics, ConsumeOutcome } from './metrics.js';
import type { OutgoingMessage } from './publisher.js';
import { ATTEMPT_HEADER, attemptOf, planFailure, type RetryPolicy } from './retry-policy.js';
import { withConsumerSpan } from './tracing.js';

/** Headers a dead-lettered copy carries, so whoever reads the DLQ knows what went wrong and where. */
export const DEAD_LETTER_HEADERS = {
  reason: 'x-dead-letter-reason',
  queue: 'x-original-queue',
  at: 'x-dead-lettered-at',
} as const;

/** What a handler learns about a delivery besides its envelope. */
export interface Delivery {
  properties: MessageProperties;
  fields: MessageFields;
  /** 1 on the first delivery, then one more per retry. */
  attempt: number;
}

/** Processes one message; the message is acked only after the returned promise resolves. */
export type MessageHandler = (envelope: Envelope, delivery: Delivery) => Promise<void>;

/** Stops a consumer: no new deliveries, in-progress handlers finish and settle their messages. */
export interface ConsumerHandle {
  cancel(): Promise<void>;
}

export interface ConsumerOptions {
  queue: string;
  /** The queue's name without the namespace, for metric labels. */
  label: string;
  /** The queue's dead-letter exchange: failed messages are copied there with the reason in a header. */
  deadLetterExchange: string;
  metrics: BusMetrics;
  retryQueue: (delayMs: number) => string;
  handler: MessageHandler;
  prefetch: number;
  retry: RetryPolicy;
  logger: Logger;
  /** Publishes a retry on the bus's confirm channel, failing rather than buffering when disconnected. */
  republish: (message: OutgoingMessage) => Promise<void>;
  /** Called when this consumer's channel dies under a live connection, so the bus can start over. */
  onChannelLost: (model: ChannelModel) => void;
}

/** One queue subscription that survives reconnects: `start` runs again on every new connection. */
export class Consumer {
  private channel: Channel | null = null;
  private consumerTag: string | null = null;
  private stopped = false;
  private readonly inFlight = new InFlight();

  constructor(private readonly options: ConsumerOptions) {}

  /** Opens a channel on `model` and subscribes; safe to call again after `detach`. */
  async start(model: ChannelModel): Promise<void> {
    if (this.stopped || this.channel) return;
    const { queue, prefetch, logger } = this.options;
    const channel = await model.createChannel();
    channel.on('error', (error: unknown) =>
      logger.warn({ err: error, queue }, 'amqp consumer channel error'),
    );
    // Two starts can race (consume() during a reconnect); the first one to get a channel wins.
    if (this.stopped || this.channel) return void channel.close().catch(() => undefined);
    this.channel = channel;
    channel.on('close', () => {
      if (this.channel !== channel) return;
      this.detach();
      if (!this.stopped) this.options.onChannelLost(model);
    });
    try {
      await channel.prefetch(prefetch);
      const { consumerTag } = await channel.consume(queue, (message) => {
        if (message) return this.track(channel, message);
        // The broker cancels a consumer when its queue disappears; a reconnect re-asserts the topology.
        logger.warn({ queue }, 'the broker cancelled the consumer');
        if (this.channel === channel && !this.stopped) this.options.onChannelLost(model);
      });
      this.consumerTag = consumerTag;
    } catch (error) {
      if (this.channel === channel) this.detach();
      await channel.close().catch(() => undefined);
      throw error;
    }
  }

  /** Whether this consumer has a channel on the current connection. */
  get running(): boolean {
    return this.channel !== null;
  }

  /** Forgets the channel after the connection died; unacked messages return to the queue by themselves. */
  detach(): void {
    this.channel = null;
    this.consumerTag = null;
  }

  /**
   * Unsubscribes, gives in-progress handlers up to `timeoutMs` to settle their messages, closes the
   * channel. A handler still running after that loses its message to a redelivery, never the message.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    const { channel, consumerTag, inFlight } = this;
    const { logger, queue } = this.options;
    await drain({ channel, consumerTag, inFlight, detach: () => this.detach() }, timeoutMs, (running) =>
      logger.warn({ queue, running }, 'stopped with handlers running'),
    );
  }

  private track(channel: Channel, message: ConsumeMessage): void {
    const { logger, queue } = this.options;
    // handle() settles every outcome itself; this only keeps a bug there from becoming unhandled.
    this.inFlight.track(this.handle(channel, message), (error) =>
      logger.error({ err: error, queue }, 'delivery crashed'),
    );
  }

  private async handle(channel: Channel, message: ConsumeMessage): Promise<void> {
    const started = process.hrtime.bigint();
    const outcome = await this.process(channel, message);
    const { metrics, label } = this.options;
    metrics.consumed.inc({ queue: label, outcome });
    metrics.handlerSeconds.observe({ queue: label }, Number(process.hrtime.bigint() - started) / 1e9);
  }

  private async process(channel: Channel, message: ConsumeMessage): Promise<ConsumeOutcome> {
    const { queue, handler, logger } = this.options;
    const messageId: unknown = message.properties.messageId;
    const decoded = decodeEnvelope(message.content);
    if (!decoded.ok) {
      logger.warn({ queue, messageId, reason: decoded.reason }, 'dead-lettering a malformed message');
      return this.deadLetter(channel, message, decoded.reason);
    }
    const { envelope } = decoded;
    const attempt = attemptOf(message.properties.headers);
    const log = logger.child({ queue, messageId: envelope.id, type: envelope.type, attempt });
    try {
      await withConsumerSpan(
        queue,
        { messageId: envelope.id, type: envelope.type, attempt },
        message.properties.headers,
        () => handler(envelope, { properties: message.properties, fields: message.fields, attempt }),
      );
    } catch (error) {
      return this.retryOrDeadLetter(channel, message, attempt, error, log);
    }
    settle(() => channel.ack(message));
    return 'acked';
  }

  private async retryOrDeadLetter(
    channel: Channel,
    message: ConsumeMessage,
    attempt: number,
    failure: unknown,
    log: Logger,
  ): Promise<ConsumeOutcome> {
    const reason = failure instanceof Error ? failure.message : String(failure);
    if (failure instanceof PermanentFailure) {
      log.error({ err: failure }, 'the message can never succeed; dead-lettering it');
      return this.deadLetter(channel, message, reason);
    }
    const plan = planFailure(attempt, this.options.retry);
    if (plan.action === 'dead-letter') {
      log.error({ err: failure }, 'handler failed on the last attempt; dead-lettering the message');
      return this.deadLetter(channel, message, `failed ${attempt} times; last error: ${reason}`);
    }
    log.warn({ err: failure, retryInMs: plan.delayMs }, 'handler failed; retrying later');
    try {
      await this.options.republish(
        copyOf(message, '', this.options.retryQueue(plan.delayMs), { [ATTEMPT_HEADER]: plan.nextAttempt }),
      );
    } catch (error) {
      // Disconnected: leave the message unacked; the broker redelivers it when the connection is back.
      if (error instanceof BusDisconnectedError) return 'requeued';
      // The broker refused the retry copy. Requeueing would spin in a hot loop, so dead-letter it instead.
      log.error({ err: error }, 'could not schedule a retry; dead-lettering the message');
      settle(() => channel.nack(message, false, false));
      return 'dead_lettered';
    }
    settle(() => channel.ack(message));
    return 'retried';
  }

  /**
   * Moves a message to the dead-letter queue with the reason in a header: a confirmed copy through the
   * dead-letter exchange, then an ack. If the copy cannot be made, a plain reject still dead-letters it
   * (the broker's `x-death` header then says only "rejected").
   */
  private async deadLetter(
    channel: Channel,
    message: ConsumeMessage,
    reason: string,
  ): Promise<ConsumeOutcome> {
    const headers = {
      [DEAD_LETTER_HEADERS.reason]: reason.slice(0, 1_000),
      [DEAD_LETTER_HEADERS.queue]: this.options.queue,
      [DEAD_LETTER_HEADERS.at]: new Date().toISOString(),
    };
    try {
      await this.options.republish(copyOf(message, this.options.deadLetterExchange, '', headers));
    } catch (error) {
      if (error instanceof BusDisconnectedError) return 'requeued';
      settle(() => channel.nack(message, false, false));
      return 'dead_lettered';
    }
    settle(() => channel.ack(message));
    return 'dead_lettered';
  }
}

/** A persistent copy of `message` for another exchange or queue, with extra headers. */
function copyOf(
  message: ConsumeMessage,
  exchange: string,
  routingKey: string,
  headers: Record<string, string | number>,
): OutgoingMessage {
  const { properties } = message;
  const messageId = typeof properties.messageId === 'string' ? properties.messageId : '';
  return {
    exchange,
    routingKey,
    content: message.content,
    // Only the properties a publisher may set: `userId` would have to match this connection's user.
    options: {
      persistent: true,
      messageId,
      type: properties.type,
      contentType: properties.contentType,
      contentEncoding: properties.contentEncoding,
      correlationId: properties.correlationId,
      timestamp: properties.timestamp,
      appId: properties.appId,
      headers: { ...properties.headers, ...headers },
    },
  };
}
