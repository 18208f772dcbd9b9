import { randomUUID } from 'node:crypto';
import { Bus, createEnvelope } from '@platform/bus';
import { EXCHANGES, GLOBAL_CHANNEL, GLOBAL_CONVERSATION_ID } from '@platform/contracts';
import { createLogger } from '@platform/observability';

/** Epoch ms with sub-ms resolution; the load clients use the same clock. */
export const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Text of every bench message (100 characters, like a short chat line). */
const TEXT = 'x'.repeat(100);

/** A `chat.message` frame as realtime would send it, plus `sentAt` last (the load clients read it from the end). */
export function benchFrame(seq: number, from: string) {
  return {
    type: 'chat.message',
    id: randomUUID(),
    conversationId: GLOBAL_CONVERSATION_ID,
    seq,
    channel: GLOBAL_CHANNEL,
    from,
    text: TEXT,
    at: new Date().toISOString(),
    editedAt: null,
    deleted: false,
    reactions: {},
    sentAt: now(),
  };
}

/** Bytes of one frame's text as the servers write it (the WebSocket header adds 4). */
export const FRAME_BYTES = Buffer.byteLength(JSON.stringify(benchFrame(1000, randomUUID())));

export interface PublishResult {
  published: number;
  failed: number;
  /** Epoch ms of the first publish and the end of the publishing window. */
  startedAt: number;
  endedAt: number;
}

/**
 * Publishes `chat.frame` envelopes for audience `all` on the `chat` fanout exchange, as realtime's
 * ChatFanout does (the bus, confirmed, routing key ''), each with a `chat.message` frame shaped like a
 * real one plus `sentAt`, the epoch ms just before its publish.
 */
export class FramePublisher {
  private seq = 0;

  private constructor(
    private readonly bus: Bus,
    private readonly from: string,
  ) {}

  static async connect(url: string, namespace: string, from: string): Promise<FramePublisher> {
    const bus = await Bus.connect({
      url,
      namespace,
      connectionName: 'realtime-fanout-bench',
      logger: createLogger('bench', 'silent'),
    });
    return new FramePublisher(bus, from);
  }

  private publishOne(): Promise<void> {
    this.seq += 1;
    const frame = benchFrame(this.seq, this.from);
    const envelope = createEnvelope('chat.frame', { audience: { scope: 'all' }, frame });
    return this.bus.publish({ exchange: EXCHANGES.chat, routingKey: '' }, envelope);
  }

  /**
   * Open loop: `rate` messages per second for `seconds`, on schedule whatever the servers do (every
   * few ms, the messages due by then). Resolves once the broker has confirmed them all.
   */
  async publish(rate: number, seconds: number): Promise<PublishResult> {
    const startedAt = now();
    const total = Math.round(rate * seconds);
    const confirms: Promise<void>[] = [];
    let failed = 0;
    while (confirms.length < total) {
      const elapsed = (now() - startedAt) / 1000;
      const due = Math.min(total, Math.floor(elapsed * rate) + 1);
      while (confirms.length < due) confirms.push(this.publishOne().catch(() => void (failed += 1)));
      const nextAt = (confirms.length / rate) * 1000;
      await sleep(Math.max(1, nextAt - (now() - startedAt)));
    }
    const endedAt = Math.max(now(), startedAt + seconds * 1000);
    await Promise.all(confirms);
    return { published: total - failed, failed, startedAt, endedAt };
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}
