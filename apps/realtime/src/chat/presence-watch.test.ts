import type { Presence } from '../services/presence.js';
import { MAX_WATCHED, type SocketData } from '../ws/frames.js';
import { PresenceWatch, type WatchingSocket } from './presence-watch.js';

function fakeSocket(userId = 'me') {
  const data = { userId, closed: false, watching: new Set<string>() } as unknown as SocketData;
  const topics = new Set<string>();
  const socket = {
    getUserData: () => data,
    subscribe: (topic: string) => (topics.add(topic), true),
    unsubscribe: (topic: string) => topics.delete(topic),
  } as unknown as WatchingSocket;
  return { socket, topics, data };
}

const presenceWith = (onlineCount: number) =>
  ({
    onlineCount: () => Promise.resolve(onlineCount),
    online: () => Promise.resolve(['everyone']),
    statuses: (ids: string[]) => Promise.resolve(ids.map((id) => id.startsWith('on'))),
  }) as unknown as Presence;

describe('PresenceWatch', () => {
  it('broadcasts while few users are online, then tells watchers only; a limit of 0 never broadcasts', async () => {
    expect(await new PresenceWatch(presenceWith(10), 10).audienceFor('u')).toEqual({ scope: 'all' });
    expect(await new PresenceWatch(presenceWith(11), 10).audienceFor('u')).toEqual({
      scope: 'watchers',
      userId: 'u',
    });
    expect(await new PresenceWatch(presenceWith(0), 0).audienceFor('u')).toEqual({
      scope: 'watchers',
      userId: 'u',
    });
  });

  it('watches each user once, never the socket’s own user, and at most MAX_WATCHED', () => {
    const watch = new PresenceWatch(presenceWith(0), 0);
    const { socket, topics } = fakeSocket('me');
    expect(watch.watch(socket, ['a', 'a', 'me', 'b'])).toEqual({ added: ['a', 'b'], full: false });
    expect([...topics]).toEqual(['presence:a', 'presence:b']);
    const many = Array.from({ length: MAX_WATCHED }, (_, index) => `u${index}`);
    const result = watch.watch(socket, many);
    expect(result.full).toBe(true);
    expect(result.added).toHaveLength(MAX_WATCHED - 2);
    watch.unwatch(socket, ['a']);
    expect(topics.has('presence:a')).toBe(false);
  });

  it('lists the watched users that are online in the snapshot once presence is not broadcast', async () => {
    const { socket } = fakeSocket();
    const watching = new PresenceWatch(presenceWith(5), 1);
    watching.watch(socket, ['on-1', 'off-1', 'on-2']);
    expect(await watching.onlineFor(socket)).toEqual(['on-1', 'on-2']);
    expect(await new PresenceWatch(presenceWith(5), 10).onlineFor(socket)).toEqual(['everyone']);
  });
});
