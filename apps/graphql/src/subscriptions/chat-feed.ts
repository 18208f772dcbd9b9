import { Subscriber, type SubscriptionHandle } from '@platform/bus';
import { EXCHANGES, fanoutPayloads, type Envelope } from '@platform/contracts';
import type { Logger } from '@platform/observability';
import { UserChangeFeed } from '@platform/runtime';
import { EventQueue } from './event-queue.js';

/** A frame as the socket tier sends it (`type` plus its fields; docs/api.md, WebSocket frames). */
export type ChatFrame = { type: string } & Record<string, unknown>;

/** Frames one subscription may have waiting before it is ended as too slow. */
const QUEUE_CAPACITY = 1_000;

interface Listener {
  userId: string;
  /** Users whose presence it follows (`watchers` audiences). */
  watching: ReadonlySet<string>;
  accepts: (frame: ChatFrame) => boolean;
  queue: EventQueue<ChatFrame>;
}

/**
 * The gateway's end of the socket tier's fanout: one exclusive queue per gateway instance on the
 * `chat` and `notifications` exchanges (the same ones every realtime instance consumes), so whatever a
 * socket would be sent reaches a GraphQL subscriber too, whichever door the change came through.
 * Each frame goes to the local listeners in its audience, computed by realtime, who already decided
 * who may see it.
 */
export class ChatFeed {
  private readonly listeners = new Set<Listener>();
  /** Who to tell when a session ends (logout, revocation): the sockets opened with its tokens. */
  private readonly sessionEnds = new Map<string, Set<() => void>>();
  private readonly handles: SubscriptionHandle[] = [];

  private constructor(
    private readonly subscriber: Subscriber,
    private readonly log: Logger,
  ) {}

  static async start(options: {
    url: string;
    namespace: string;
    name: string;
    log: Logger;
  }): Promise<ChatFeed> {
    const subscriber = await Subscriber.connect({
      url: options.url,
      namespace: options.namespace,
      connectionName: `${options.name}/subscriber`,
      logger: options.log,
    });
    const feed = new ChatFeed(subscriber, options.log);
    try {
      feed.handles.push(await subscriber.subscribe({ exchange: EXCHANGES.chat }, (e) => feed.onChat(e)));
      feed.handles.push(
        await subscriber.subscribe({ exchange: EXCHANGES.notifications }, (e) => feed.onNotification(e)),
      );
    } catch (error) {
      await subscriber.close();
      throw error;
    }
    return feed;
  }

  /**
   * The account events on this feed's broker connection (one more exclusive queue on it, cancelled when
   * the returned feed closes), so the profile cache needs no connection of its own.
   */
  userChanges(): Promise<UserChangeFeed> {
    return UserChangeFeed.attach(this.subscriber);
  }

  /** Whether frames are flowing (for /ready). */
  isReady(): boolean {
    return this.subscriber.isReady();
  }

  /** The frames `userId` would get on a socket that `accepts` lets through, as an async stream. */
  listen(
    userId: string,
    accepts: (frame: ChatFrame) => boolean,
    watching: readonly string[] = [],
  ): AsyncIterableIterator<ChatFrame> {
    const listener: Listener = {
      userId,
      watching: new Set(watching),
      accepts,
      queue: new EventQueue<ChatFrame>(QUEUE_CAPACITY, () => this.listeners.delete(listener)),
    };
    this.listeners.add(listener);
    return listener.queue;
  }

  /** Calls `onEnd` when session `sessionId` ends; returns the unsubscribe. */
  onSessionEnd(sessionId: string, onEnd: () => void): () => void {
    const set = this.sessionEnds.get(sessionId) ?? new Set();
    set.add(onEnd);
    this.sessionEnds.set(sessionId, set);
    return () => {
      set.delete(onEnd);
      if (set.size === 0) this.sessionEnds.delete(sessionId);
    };
  }

  /** Ends every stream and the broker connection. */
  async stop(): Promise<void> {
    for (const listener of [...this.listeners]) void listener.queue.return();
    await Promise.all(this.handles.map((handle) => handle.cancel()));
    await this.subscriber.close();
  }

  private async onChat(envelope: Envelope): Promise<void> {
    if (envelope.type !== 'chat.frame') return;
    const parsed = fanoutPayloads['chat.frame'].safeParse(envelope.payload);
    if (!parsed.success) return this.log.warn({ id: envelope.id }, 'dropping a malformed chat frame');
    const { audience, frame } = parsed.data;
    const users = audience.scope === 'users' ? new Set(audience.userIds) : undefined;
    for (const listener of this.listeners) {
      const inAudience =
        audience.scope === 'all' ||
        (users?.has(listener.userId) ?? false) ||
        (audience.scope === 'watchers' && listener.watching.has(audience.userId));
      if (inAudience && listener.accepts(frame)) listener.queue.push(frame);
    }
  }

  private async onNotification(envelope: Envelope): Promise<void> {
    if (envelope.type === 'session.ended') return this.onSessionEnded(envelope);
    if (envelope.type !== 'notification.created') return;
    const parsed = fanoutPayloads['notification.created'].safeParse(envelope.payload);
    if (!parsed.success) return this.log.warn({ id: envelope.id }, 'dropping a malformed notification');
    const { userId, notificationId, event, message, at } = parsed.data;
    const frame: ChatFrame = { type: 'notification', id: notificationId, event, message, at };
    for (const listener of this.listeners)
      if (listener.userId === userId && listener.accepts(frame)) listener.queue.push(frame);
  }

  /** A logout or revocation: as the socket tier closes that session's sockets, so does the gateway. */
  private async onSessionEnded(envelope: Envelope): Promise<void> {
    const parsed = fanoutPayloads['session.ended'].safeParse(envelope.payload);
    if (!parsed.success) return this.log.warn({ id: envelope.id }, 'dropping a malformed session.ended');
    for (const end of [...(this.sessionEnds.get(parsed.data.sessionId) ?? [])]) end();
  }
}
