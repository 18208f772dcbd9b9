import type { Channel, ChannelModel, ConsumeMessage, MessageFields, MessageProperties } from 'amqplib';
import type { Logger } from 'pino';
import type { Envelope } from '@platform/contracts';
import { ChannelConsumer, type ChannelConsumerMessages } from './channel-consumer.js';
import { settle } from './drain.js';
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
  /** True when a failure now dead-letters the message instead of retrying it. */
  lastAttempt: boolean;
}

/** Processes one message; the message is acked only after the returned promise resolves. */
export type MessageHandler = (envelope: Envelope, delivery: Delivery) => Promise<void>;

/** Stops a consumer: no new deliveries, in-progress handlers finish and settle their messages. */
export interface ConsumerHandle {
  cancel(): Promise<void>;
}

/** What the bus tells a `Consumer`: its queue and where its failures go, its handler, its hooks. */
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

/** One work-queue consumer that survives reconnects, retrying failed messages, then dead-lettering them. */
export class Consumer extends ChannelConsumer {
  constructor(private readonly options: ConsumerOptions) {
    super(options, { queue: options.queue }, CONSUMER_MESSAGES);
  }

  protected override async declare(channel: Channel): Promise<string> {
    // The topology, asserted by the bus on every connection, declares the queue.
    await channel.prefetch(this.options.prefetch);
    return this.options.queue;
  }

  protected override crashed(error: unknown): void {
    this.options.logger.error({ err: error, queue: this.options.queue }, 'delivery crashed');
  }

  protected override stoppedWithHandlersRunning(running: number): void {
    this.options.logger.warn({ queue: this.options.queue, running }, 'stopped with handlers running');
  }

  protected override async handle(channel: Channel, message: ConsumeMessage): Promise<void> {
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
        () =>
          handler(envelope, {
            properties: message.properties,
            fields: message.fields,
            attempt,
            lastAttempt: attempt >= this.options.retry.maxAttempts,
          }),
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

/** Its channel's log lines, word for word as alerts match them. */
const CONSUMER_MESSAGES: ChannelConsumerMessages = {
  channelError: 'amqp consumer channel error',
  cancelled: 'the broker cancelled the consumer',
};
