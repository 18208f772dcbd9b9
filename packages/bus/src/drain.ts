import type { Channel } from 'amqplib';

/** Deliveries whose handlers are still running, so that a stop can wait for them to settle. */
export class InFlight {
  private readonly tasks = new Set<Promise<void>>();

  /** How many deliveries are still being handled. */
  get size(): number {
    return this.tasks.size;
  }

  /** Tracks one delivery until it settles; `onCrash` gets what its handling failed to catch itself. */
  track(work: Promise<void>, onCrash: (error: unknown) => void): void {
    const task: Promise<void> = work.catch(onCrash).finally(() => this.tasks.delete(task));
    this.tasks.add(task);
  }

  /** Resolves once every delivery tracked so far settled, or after `timeoutMs`, whichever comes first. */
  async settled(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all([...this.tasks]), timeout]);
    clearTimeout(timer);
  }
}

/** The consuming side of one channel, as `drain` needs it. */
export interface Drainable {
  channel: Pick<Channel, 'cancel' | 'close'> | null;
  consumerTag: string | null;
  inFlight: InFlight;
  /** Forgets the channel, as after a lost connection. */
  detach(): void;
}

/**
 * Stops consuming in the one order that loses nothing: cancel the consumer (no new deliveries), give the
 * handlers in flight up to `timeoutMs` to ack or nack on the still open channel, then forget and close
 * it. Closing any earlier would strand their acks, and the broker would redeliver what was handled; a
 * handler still running after the timeout loses its message to a redelivery, never the message.
 * `onTimeout` hears how many were still running.
 */
export async function drain(
  target: Drainable,
  timeoutMs: number,
  onTimeout?: (running: number) => void,
): Promise<void> {
  const { channel, consumerTag, inFlight } = target;
  if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => undefined);
  await inFlight.settled(timeoutMs);
  if (inFlight.size > 0) onTimeout?.(inFlight.size);
  target.detach();
  if (channel) await channel.close().catch(() => undefined);
}

/** Acks or nacks, tolerating a channel that closed meanwhile (the broker then redelivers the message). */
export function settle(action: () => void): void {
  try {
    action();
  } catch {
    // The channel is gone with its delivery tags; nothing left to settle.
  }
}
