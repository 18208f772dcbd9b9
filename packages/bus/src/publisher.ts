import type { ConfirmChannel, Options } from 'amqplib';
import {
  BusClosedError,
  BusDisconnectedError,
  PublishBufferFullError,
  PublishNackedError,
} from './errors.js';

/** A message ready for `basic.publish`. */
export interface OutgoingMessage {
  exchange: string;
  routingKey: string;
  content: Buffer;
  options: Options.Publish & { messageId: string };
}

interface PendingPublish {
  /** Acceptance order: re-sent messages go back in front of later ones, so order survives a reconnect. */
  seq: number;
  message: OutgoingMessage;
  resolve: () => void;
  reject: (error: Error) => void;
}

// amqplib settles confirm callbacks with these two errors: a broker nack, or the channel going away
// before the confirm arrived (which says nothing about whether the broker kept the message).
const NACKED = 'message nacked';

/**
 * Publishes over a confirm channel in acceptance order. Without a channel (connection lost) or while the
 * socket buffer is full (`publish` returned false, waiting for 'drain'), messages wait in a bounded
 * buffer. A message whose confirm was lost with the channel is sent again after the reconnect: delivery
 * is at-least-once, so consumers deduplicate by `messageId` where a duplicate matters.
 */
export class Publisher {
  private channel: ConfirmChannel | null = null;
  private readonly buffer: PendingPublish[] = [];
  private inFlight = 0;
  private nextSeq = 0;
  private waitingForDrain = false;
  private closedWith: Error | null = null;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly capacity: number) {}

  /** Messages accepted but not yet written to a channel. */
  get buffered(): number {
    return this.buffer.length;
  }

  /** Starts writing to a fresh channel, oldest buffered message first. */
  attach(channel: ConfirmChannel): void {
    this.channel = channel;
    this.waitingForDrain = false;
    channel.on('drain', () => {
      if (this.channel !== channel) return;
      this.waitingForDrain = false;
      this.flush();
    });
    this.flush();
  }

  /** Stops writing: the channel is gone; new messages wait in the buffer. */
  detach(): void {
    this.channel = null;
    this.waitingForDrain = false;
  }

  /** Accepts a message; resolves once the broker confirms it, rejects on nack, full buffer or close. */
  publish(message: OutgoingMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closedWith) return reject(this.closedWith);
      if (this.buffer.length >= this.capacity) return reject(new PublishBufferFullError(this.capacity));
      this.buffer.push({ seq: this.nextSeq++, message, resolve, reject });
      this.flush();
    });
  }

  /** Sends on the current channel or fails at once: for consumer retries, where buffering would duplicate. */
  publishNow(message: OutgoingMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closedWith) return reject(this.closedWith);
      const channel = this.channel;
      if (!channel) return reject(new BusDisconnectedError());
      const pending = { seq: -1, message, resolve, reject };
      this.write(channel, pending, () => reject(new BusDisconnectedError()));
    });
  }

  /** Resolves when nothing is buffered or awaiting a confirm, or after `timeoutMs`. */
  async waitForIdle(timeoutMs: number): Promise<boolean> {
    if (this.isIdle()) return true;
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([idle, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Refuses new messages and rejects the buffered ones (and any whose confirm is lost from now on). */
  close(error: Error = new BusClosedError()): void {
    this.closedWith = error;
    for (const pending of this.buffer.splice(0)) pending.reject(error);
    this.notifyIfIdle();
  }

  private flush(): void {
    while (this.channel && !this.waitingForDrain) {
      const pending = this.buffer.shift();
      if (!pending) break;
      this.write(this.channel, pending, () => this.requeue(pending));
    }
    this.notifyIfIdle();
  }

  private write(channel: ConfirmChannel, pending: PendingPublish, onChannelLost: () => void): void {
    const { exchange, routingKey, content, options } = pending.message;
    // amqplib registers the confirm callback before it can throw on a closing channel, and may still call
    // it later with 'channel closed': settle each write exactly once.
    let settled = false;
    const settle = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      this.inFlight--;
      if (!error) pending.resolve();
      else if (error.message === NACKED) pending.reject(new PublishNackedError(options.messageId));
      else {
        // Stop writing to a dead channel before re-buffering, or the flush would throw straight back here.
        if (this.channel === channel) this.detach();
        onChannelLost();
      }
      this.notifyIfIdle();
    };
    this.inFlight++;
    try {
      const writable = channel.publish(exchange, routingKey, content, options, (error: unknown) =>
        settle(error ? toError(error) : null),
      );
      if (!writable && this.channel === channel) this.waitingForDrain = true;
    } catch (error) {
      settle(toError(error));
    }
  }

  private requeue(pending: PendingPublish): void {
    if (this.closedWith) return pending.reject(this.closedWith);
    // Put it back in acceptance order, ahead of everything accepted after it (binary search on seq).
    let low = 0;
    let high = this.buffer.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.buffer[middle]?.seq ?? Infinity) < pending.seq) low = middle + 1;
      else high = middle;
    }
    this.buffer.splice(low, 0, pending);
    this.flush();
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && this.buffer.length === 0;
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
