import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import { namespaced, type ExchangeName } from '@platform/contracts';
import { ChannelConsumer, type ChannelConsumerMessages } from './channel-consumer.js';
import type { MessageHandler } from './consumer.js';
import { settle } from './drain.js';
import { decodeEnvelope } from './envelope.js';
import { PermanentFailure } from './errors.js';
import { attemptOf } from './retry-policy.js';
import { withConsumerSpan } from './tracing.js';

/** Exchange types as declared by the namespace topology (`assertTopology`); re-asserting must agree. */
const EXCHANGE_TYPES: Record<ExchangeName, 'topic' | 'fanout'> = {
  events: 'topic',
  notifications: 'fanout',
  chat: 'fanout',
};

/**
 * What to subscribe to. Without `queue` the subscription gets an exclusive, auto-delete, server-named
 * queue of its own: every process sees every message (fanout to each socket-tier instance), and the
 * broker deletes the queue when the connection dies, so a crashed instance leaves nothing behind. With
 * `queue` it shares a durable queue with every other process that names it (competing consumers), so
 * each message is handled once, even while some of them are down.
 */
export interface SubscriptionSpec {
  exchange: ExchangeName;
  /** Binding patterns; fanout exchanges ignore them (default `['']`, or `['#']` on a topic exchange). */
  patterns?: string[];
  /** Logical name of a shared durable queue (namespaced here); it gets a `<queue>.dlq` for failures. */
  queue?: string;
  /** Unacked messages handed out at once (default 20). */
  prefetch?: number;
}

/** A `SubscriptionSpec` with what the subscriber adds: namespace, handler, logger, loss hook. */
export interface SubscriptionOptions extends SubscriptionSpec {
  namespace: string;
  handler: MessageHandler;
  logger: Logger;
  /** Called when this subscription's channel dies under a live connection, so the owner can start over. */
  onChannelLost: (model: ChannelModel) => void;
}

/** Name of the dead-letter queue of a shared subscription queue. */
export function subscriptionDeadLetterQueueName(namespace: string, queue: string): string {
  return namespaced(namespace, `${queue}.dlq`);
}

/**
 * One queue bound to one exchange, consumed on its own channel. `start` declares the queue and its
 * bindings each time: after a reconnect the exclusive queue is gone and must be created (with a new
 * name) and bound again before anything reaches this process.
 *
 * Failure policy: a failed handler gets one immediate redelivery; failing again (or throwing a
 * PermanentFailure), the message is rejected, which dead-letters it on a shared queue and drops it on
 * an exclusive one (live fanout has nobody to retry for: the state it carries is persisted elsewhere).
 * Malformed bodies are rejected at once.
 */
export class Subscription extends ChannelConsumer {
  constructor(private readonly options: SubscriptionOptions) {
    super(options, { exchange: options.exchange }, SUBSCRIPTION_MESSAGES);
  }

  /** The broker's name of the queue on the current connection (server-named when exclusive). */
  get queueName(): string | null {
    return this.consumedQueue;
  }

  protected override async declare(channel: Channel): Promise<string> {
    const { exchange, namespace, prefetch = 20 } = this.options;
    const exchangeName = namespaced(namespace, exchange);
    await channel.assertExchange(exchangeName, EXCHANGE_TYPES[exchange], {
      durable: true,
      autoDelete: false,
    });
    const queue = await this.assertQueue(channel);
    for (const pattern of this.patterns()) await channel.bindQueue(queue, exchangeName, pattern);
    await channel.prefetch(prefetch);
    return queue;
  }

  protected override crashed(error: unknown): void {
    this.options.logger.error({ err: error }, 'subscription delivery crashed');
  }

  private async assertQueue(channel: Channel): Promise<string> {
    const { queue, namespace } = this.options;
    if (!queue) {
      const declared = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
      return declared.queue;
    }
    const name = namespaced(namespace, queue);
    const dlq = subscriptionDeadLetterQueueName(namespace, queue);
    await channel.assertQueue(dlq, { durable: true, autoDelete: false });
    await channel.assertQueue(name, {
      durable: true,
      autoDelete: false,
      arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': dlq },
    });
    return name;
  }

  private patterns(): string[] {
    const { patterns, exchange } = this.options;
    if (patterns && patterns.length > 0) return patterns;
    return [EXCHANGE_TYPES[exchange] === 'topic' ? '#' : ''];
  }

  protected override async handle(channel: Channel, message: ConsumeMessage): Promise<void> {
    const { handler, logger, exchange } = this.options;
    const decoded = decodeEnvelope(message.content);
    if (!decoded.ok) {
      logger.warn({ exchange, reason: decoded.reason }, 'rejecting a malformed message');
      return settle(() => channel.nack(message, false, false));
    }
    const { envelope } = decoded;
    const attempt = attemptOf(message.properties.headers) + (message.fields.redelivered ? 1 : 0);
    try {
      await withConsumerSpan(
        this.queueName ?? exchange,
        { messageId: envelope.id, type: envelope.type, attempt },
        message.properties.headers,
        () =>
          handler(envelope, {
            properties: message.properties,
            fields: message.fields,
            attempt,
            // A failure of a redelivery drops the message (see below).
            lastAttempt: message.fields.redelivered,
          }),
      );
    } catch (error) {
      const requeue = !message.fields.redelivered && !(error instanceof PermanentFailure);
      logger.warn(
        { err: error, exchange, messageId: envelope.id, type: envelope.type, requeue },
        requeue
          ? 'subscription handler failed; redelivering once'
          : 'subscription handler failed again; rejecting',
      );
      return settle(() => channel.nack(message, false, requeue));
    }
    settle(() => channel.ack(message));
  }
}

/** Its channel's log lines, word for word as alerts match them. */
const SUBSCRIPTION_MESSAGES: ChannelConsumerMessages = {
  channelError: 'subscription channel error',
  cancelled: 'the broker cancelled the subscription',
};
