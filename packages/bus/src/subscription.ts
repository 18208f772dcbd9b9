import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import { namespaced, type ExchangeName } from '@platform/contracts';
import type { MessageHandler } from './consumer.js';
import { InFlight, drain, settle } from './drain.js';
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
export class Subscription {
  private channel: Channel | null = null;
  private consumerTag: string | null = null;
  private stopped = false;
  private readonly inFlight = new InFlight();
  /** The broker's name of the queue on the current connection (server-named when exclusive). */
  queueName: string | null = null;

  constructor(private readonly options: SubscriptionOptions) {}

  get running(): boolean {
    return this.channel !== null;
  }

  /** Declares exchange, queue and bindings on a fresh channel of `model`, then consumes. */
  async start(model: ChannelModel): Promise<void> {
    if (this.stopped || this.channel) return;
    const { logger, exchange, namespace, prefetch = 20 } = this.options;
    const channel = await model.createChannel();
    channel.on('error', (error: unknown) =>
      logger.warn({ err: error, exchange }, 'subscription channel error'),
    );
    if (this.stopped || this.channel) return void channel.close().catch(() => undefined);
    this.channel = channel;
    channel.on('close', () => {
      if (this.channel !== channel) return;
      this.detach();
      if (!this.stopped) this.options.onChannelLost(model);
    });
    try {
      const exchangeName = namespaced(namespace, exchange);
      await channel.assertExchange(exchangeName, EXCHANGE_TYPES[exchange], {
        durable: true,
        autoDelete: false,
      });
      const queue = await this.assertQueue(channel);
      for (const pattern of this.patterns()) await channel.bindQueue(queue, exchangeName, pattern);
      await channel.prefetch(prefetch);
      const { consumerTag } = await channel.consume(queue, (message) => {
        if (message) return this.track(channel, message);
        logger.warn({ queue }, 'the broker cancelled the subscription');
        if (this.channel === channel && !this.stopped) this.options.onChannelLost(model);
      });
      this.queueName = queue;
      this.consumerTag = consumerTag;
    } catch (error) {
      if (this.channel === channel) this.detach();
      await channel.close().catch(() => undefined);
      throw error;
    }
  }

  /** Forgets the channel after the connection died; unacked messages go back to a shared queue. */
  detach(): void {
    this.channel = null;
    this.consumerTag = null;
    this.queueName = null;
  }

  /** Unsubscribes and waits (up to `timeoutMs`) for handlers in progress to settle their messages. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    const { channel, consumerTag, inFlight } = this;
    await drain({ channel, consumerTag, inFlight, detach: () => this.detach() }, timeoutMs);
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

  private track(channel: Channel, message: ConsumeMessage): void {
    this.inFlight.track(this.handle(channel, message), (error) =>
      this.options.logger.error({ err: error }, 'subscription delivery crashed'),
    );
  }

  private async handle(channel: Channel, message: ConsumeMessage): Promise<void> {
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
        () => handler(envelope, { properties: message.properties, fields: message.fields, attempt }),
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
