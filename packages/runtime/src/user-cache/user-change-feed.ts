import { hostname } from 'node:os';
import { Subscriber, type SubscriptionHandle } from '@platform/bus';
import { EXCHANGES, type Envelope } from '@platform/contracts';
import type { Logger } from '@platform/observability';
import type { ChangeSource } from './user-cache.js';

/** The account events after which a user's cached records may be wrong. */
export const USER_CHANGE_EVENTS = ['user.updated', 'user.deleted', 'user.restored'] as const;

export interface UserChangeFeedOptions {
  url: string;
  namespace: string;
  /** Names the broker connection, e.g. `users`. */
  service: string;
  log: Logger;
}

/**
 * This process's own view of the account events, for caches of user records (`UserCache`): an
 * exclusive queue bound to the `events` exchange, on a broker connection of its own, so that every
 * instance hears every change (unlike the competing consumers of a work queue).
 *
 * It is current only while the subscription consumes. The broker names an exclusive queue anew on
 * each (re)connect; when the name changes, events may have been published while no queue was bound,
 * so watchers are told to forget everything.
 */
export class UserChangeFeed implements ChangeSource {
  private readonly watchers: ((userId: string | null) => void)[] = [];
  private queue: string | null = null;
  private handle: SubscriptionHandle | null = null;

  private constructor(
    private readonly subscriber: Subscriber,
    /** Whether closing the feed closes the connection too (opened by `open`, not `attach`). */
    private readonly ownsConnection: boolean,
  ) {}

  /** A feed on a broker connection of its own, closed with it. */
  static async open({ url, namespace, service, log }: UserChangeFeedOptions): Promise<UserChangeFeed> {
    const subscriber = await Subscriber.connect({
      url,
      namespace,
      connectionName: `${service}@${hostname()}/user-changes`,
      logger: log,
    });
    try {
      return await UserChangeFeed.subscribe(subscriber, true);
    } catch (error) {
      await subscriber.close();
      throw error;
    }
  }

  /**
   * A feed on a connection the process already has for its own subscriptions (realtime's): one more
   * exclusive queue on it, cancelled when the feed closes; the connection stays its owner's.
   */
  static attach(subscriber: Subscriber): Promise<UserChangeFeed> {
    return UserChangeFeed.subscribe(subscriber, false);
  }

  private static async subscribe(subscriber: Subscriber, owns: boolean): Promise<UserChangeFeed> {
    const feed = new UserChangeFeed(subscriber, owns);
    feed.handle = await subscriber.subscribe(
      { exchange: EXCHANGES.events, patterns: [...USER_CHANGE_EVENTS] },
      (envelope) => feed.receive(envelope),
    );
    return feed;
  }

  watch(onChange: (userId: string | null) => void): void {
    this.watchers.push(onChange);
  }

  isCurrent(): boolean {
    const queue = this.handle?.queueName() ?? null;
    if (queue === null || !this.subscriber.isReady()) return false;
    if (queue !== this.queue) {
      this.queue = queue;
      this.tell(null);
    }
    return true;
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.subscriber.close();
    else await this.handle?.cancel();
    this.handle = null;
  }

  private receive(envelope: Envelope): Promise<void> {
    const userId = (envelope.payload as { userId?: unknown }).userId;
    // Every change event names its user; should one ever not, forgetting everything is still right.
    this.tell(typeof userId === 'string' ? userId : null);
    return Promise.resolve();
  }

  private tell(userId: string | null): void {
    for (const watcher of this.watchers) watcher(userId);
  }
}
