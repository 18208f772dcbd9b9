import { pino } from 'pino';
import { Bus, Subscriber, createEnvelope, deleteTopology } from '@platform/bus';
import { EXCHANGES, type EventType } from '@platform/contracts';
import { TcpProxy, backingServices, uniqueId } from '@platform/test-services';
import { UserChangeFeed } from '../../src/index.js';

// UserChangeFeed against the real broker: what reaches a cache's watcher, what a closed feed stops,
// and that a dropped connection makes the cache forget everything once it is back.

const log = pino({ level: 'silent' });
const url = backingServices().amqpUrl;
const namespace = uniqueId('feed');
let bus: Bus;

beforeAll(async () => {
  bus = await Bus.connect({ url, namespace, connectionName: `feed-test-${namespace}`, logger: log });
});
afterAll(async () => {
  await bus.close();
  await deleteTopology(url, namespace);
});

const event = (type: EventType, userId: string) =>
  bus.publish(
    { exchange: EXCHANGES.events, routingKey: type },
    createEnvelope(type, { userId, ...(type === 'user.updated' ? { changes: ['displayName'] } : {}) }),
  );

async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** What the feed told its watcher, in order (null: forget everything). */
function watched(feed: UserChangeFeed): (string | null)[] {
  const told: (string | null)[] = [];
  feed.watch((userId) => told.push(userId));
  return told;
}

describe('UserChangeFeed', () => {
  it('tells its watcher of every account change, by user, and of nothing else', async () => {
    const feed = await UserChangeFeed.open({ url, namespace, service: 'feed-test', log });
    try {
      const told = watched(feed);
      expect(feed.isCurrent()).toBe(true);
      told.length = 0; // the first isCurrent() starts from nothing (null)
      await event('user.registered', 'u-registered');
      await event('user.updated', 'u-1');
      await event('user.deleted', 'u-2');
      await event('user.restored', 'u-3');
      await waitFor('three changes', () => told.length >= 3);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(told).toEqual(['u-1', 'u-2', 'u-3']);
    } finally {
      await feed.close();
    }
  });

  it('attached to a connection it does not own, stops on close and leaves the connection working', async () => {
    const subscriber = await Subscriber.connect({
      url,
      namespace,
      connectionName: `feed-owner-${namespace}`,
      logger: log,
    });
    try {
      const other: string[] = [];
      await subscriber.subscribe({ exchange: EXCHANGES.events, patterns: ['user.updated'] }, async (e) => {
        other.push((e.payload as { userId: string }).userId);
      });
      const feed = await UserChangeFeed.attach(subscriber);
      const told = watched(feed);
      feed.isCurrent();
      told.length = 0;
      await event('user.updated', 'before-close');
      await waitFor('the change', () => told.includes('before-close'));

      await feed.close();
      expect(feed.isCurrent()).toBe(false);
      await event('user.updated', 'after-close');
      await waitFor('the owner still hearing events', () => other.includes('after-close'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(told).toEqual(['before-close']);
      expect(subscriber.isReady()).toBe(true);
    } finally {
      await subscriber.close();
    }
  });

  it('is not current while its connection is down, and makes the cache forget everything once back', async () => {
    const broker = new URL(url);
    const proxy = await TcpProxy.start({ host: broker.hostname, port: Number(broker.port || 5672) });
    const feed = await UserChangeFeed.open({ url: proxy.url(url), namespace, service: 'feed-test', log });
    try {
      const told = watched(feed);
      expect(feed.isCurrent()).toBe(true);
      told.length = 0;

      proxy.refuse(true);
      proxy.cut();
      await waitFor('the feed to notice', () => !feed.isCurrent());
      // Published while no queue of the feed's is bound: the feed cannot hear it.
      await event('user.updated', 'missed');

      proxy.refuse(false);
      await waitFor('the feed back', () => feed.isCurrent(), 20_000);
      expect(told).toEqual([null]);
      await event('user.updated', 'after');
      await waitFor('a change after the reconnect', () => told.includes('after'));
      expect(told).not.toContain('missed');
    } finally {
      await feed.close();
      await proxy.close();
    }
  }, 40_000);
});
