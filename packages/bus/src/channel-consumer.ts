import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import { InFlight, drain } from './drain.js';
import type { ChannelUser } from './reconnecting-connection.js';

/** What a `ChannelConsumer` needs from its owner's options. */
export interface ChannelConsumerOwner {
  logger: Logger;
  /** Called when the channel dies under a live connection, so the owner can start over. */
  onChannelLost: (model: ChannelModel) => void;
}

/** The log lines that differ between a `Consumer` and a `Subscription`. */
export interface ChannelConsumerMessages {
  channelError: string;
  /** Logged when the broker cancels the consumer, e.g. because its queue was deleted. */
  cancelled: string;
}

/**
 * One consumer on a channel of its own that survives reconnects: `start` runs again on every new
 * connection, `stop` drains. `Consumer` (work queues) and `Subscription` (exchange bindings) differ only
 * in how they declare their queue (`declare`) and handle a delivery (`handle`).
 */
export abstract class ChannelConsumer implements ChannelUser {
  private channel: Channel | null = null;
  private consumerTag: string | null = null;
  private consuming: string | null = null;
  private stopped = false;
  private readonly inFlight = new InFlight();

  /** `channelContext`: fields of the channel-error line, besides the error. */
  protected constructor(
    private readonly owner: ChannelConsumerOwner,
    private readonly channelContext: Record<string, unknown>,
    private readonly messages: ChannelConsumerMessages,
  ) {}

  /** Whether this consumer has a channel on the current connection. */
  get running(): boolean {
    return this.channel !== null;
  }

  /** The broker's name of the queue consumed on the current connection. */
  protected get consumedQueue(): string | null {
    return this.consuming;
  }

  /** Opens a channel on `model`, declares what it needs and consumes; safe to call again after `detach`. */
  async start(model: ChannelModel): Promise<void> {
    if (this.stopped || this.channel) return;
    const { channelContext, messages } = this;
    const { logger, onChannelLost } = this.owner;
    const channel = await model.createChannel();
    channel.on('error', (error: unknown) =>
      logger.warn({ err: error, ...channelContext }, messages.channelError),
    );
    // Two starts can race (consume() during a reconnect); the first one to get a channel wins.
    if (this.stopped || this.channel) return void channel.close().catch(() => undefined);
    this.channel = channel;
    channel.on('close', () => {
      if (this.channel !== channel) return;
      this.detach();
      if (!this.stopped) onChannelLost(model);
    });
    try {
      const queue = await this.declare(channel);
      const { consumerTag } = await channel.consume(queue, (message) => {
        if (message)
          return this.inFlight.track(this.handle(channel, message), (error) => this.crashed(error));
        // The broker cancels a consumer when its queue disappears; starting over declares it again.
        logger.warn({ queue }, messages.cancelled);
        if (this.channel === channel && !this.stopped) onChannelLost(model);
      });
      this.consuming = queue;
      this.consumerTag = consumerTag;
    } catch (error) {
      if (this.channel === channel) this.detach();
      await channel.close().catch(() => undefined);
      throw error;
    }
  }

  /** Forgets the channel after the connection died; unacked messages go back to a shared queue by themselves. */
  detach(): void {
    this.channel = null;
    this.consumerTag = null;
    this.consuming = null;
  }

  /**
   * Unsubscribes, gives in-progress handlers up to `timeoutMs` to settle their messages, closes the
   * channel. A handler still running after that loses its message to a redelivery, never the message.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    const { channel, consumerTag, inFlight } = this;
    await drain({ channel, consumerTag, inFlight, detach: () => this.detach() }, timeoutMs, (running) =>
      this.stoppedWithHandlersRunning(running),
    );
  }

  /** Declares what the consumer needs on a fresh channel, sets its prefetch, and names the queue to consume. */
  protected abstract declare(channel: Channel): Promise<string>;

  /** Handles one delivery and settles it (ack or nack) whatever happens. */
  protected abstract handle(channel: Channel, message: ConsumeMessage): Promise<void>;

  /** Logs what `handle` failed to catch itself: a bug, kept from becoming an unhandled rejection. */
  protected abstract crashed(error: unknown): void;

  /** Hears that `stop` gave up on `running` handlers after its timeout; silent unless overridden. */
  protected stoppedWithHandlersRunning(_running: number): void {}
}
