import { randomUUID } from 'node:crypto';
import { PRESENCE_ONLINE_KEY } from '@platform/contracts';
import { Presence } from '../../src/services/presence.js';
import { connect, eventually, realtimeWorld, sleep, type Frame, type RealtimeWorld } from './harness.js';

describe('presence', () => {
  let world: RealtimeWorld;
  const TTL_SECONDS = 2;

  beforeAll(async () => {
    world = await realtimeWorld();
  });
  afterAll(() => world.close());

  /** What the admin summary does: a member counts while its score is in the future. */
  const isOnline = async (userId: string) => {
    const score = await world.redis.zscore(PRESENCE_ONLINE_KEY, userId);
    return score !== null && Number(score) > Date.now();
  };

  it('is online from the first socket until the last one closes, across tabs and instances', async () => {
    const [a, b] = await Promise.all([
      world.start({ PRESENCE_TTL_SECONDS: String(TTL_SECONDS) }),
      world.start({ PRESENCE_TTL_SECONDS: String(TTL_SECONDS) }),
    ]);
    const user = await world.seedUser();
    expect(await isOnline(user.id)).toBe(false);
    const tab1 = await connect(a, user.accessToken);
    await eventually('online', () => isOnline(user.id));
    const tab2 = await connect(a, user.accessToken);
    const tab3 = await connect(b, user.accessToken);
    await tab1.close();
    await tab3.close();
    // Longer than the TTL: the refresher keeps the remaining tab's user online.
    await sleep(TTL_SECONDS * 1000 + 500);
    expect(await isOnline(user.id)).toBe(true);
    await tab2.close();
    await eventually('offline', async () => !(await isOnline(user.id)), 2000);
    expect(await world.redis.zscore(PRESENCE_ONLINE_KEY, user.id)).toBeNull();
    await Promise.all([a.stop(), b.stop()]);
  });

  it('refreshes hundreds of local users in chunks, each keeping its count, and prunes a dead instance', async () => {
    const live = new Presence(world.redis, `live-${randomUUID()}`, TTL_SECONDS);
    const dead = new Presence(world.redis, `dead-${randomUUID()}`, TTL_SECONDS);
    const users = new Map<string, number>(Array.from({ length: 600 }, (_, i) => [randomUUID(), 1 + (i % 3)]));
    const [first] = users.keys();
    const start = Date.now();
    await dead.sync(first ?? '', 2, start);
    const refresh = (now: number) =>
      live.refresh([...users.keys()], (userId) => users.get(userId) ?? 0, { clock: () => now });
    await refresh(start);
    // Past the first expiry: only what the second refresh renewed is still online.
    const later = start + TTL_SECONDS * 1000 + 10;
    expect(await refresh(later)).toEqual([]);
    expect((await live.statuses([...users.keys()], later + 1)).every(Boolean)).toBe(true);
    const hash = await world.redis.hgetall(`presence:user:${first ?? ''}`);
    expect(Object.keys(hash)).toHaveLength(1); // the dead instance's field went
    expect(Object.values(hash)[0]).toMatch(new RegExp(`^${users.get(first ?? '') ?? 0}:\\d+$`));
  });

  it('spreads a refresh over the time it is given, and leaves out a user who left meanwhile', async () => {
    const live = new Presence(world.redis, `live-${randomUUID()}`, TTL_SECONDS);
    const users = new Map<string, number>(Array.from({ length: 250 }, () => [randomUUID(), 1]));
    const ids = [...users.keys()];
    const started = Date.now();
    const refreshed = live.refresh(ids, (userId) => users.get(userId) ?? 0, { spreadMs: 900 });
    const gone = ids.at(-1) ?? '';
    users.delete(gone); // closed its socket while the refresh was on its first chunk
    expect(await refreshed).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550); // the third chunk waited 2/3 of 900 ms
    const statuses = await live.statuses(ids);
    expect(statuses.slice(0, -1).every(Boolean)).toBe(true);
    expect(statuses.at(-1)).toBe(false);
  });

  it('lets the users of an instance that died without cleanup expire within the TTL', async () => {
    const [doomed, survivor] = await Promise.all([
      world.start({ PRESENCE_TTL_SECONDS: String(TTL_SECONDS) }),
      world.start({ PRESENCE_TTL_SECONDS: String(TTL_SECONDS) }),
    ]);
    const [lost, kept] = await Promise.all([world.seedUser(), world.seedUser()]);
    await connect(doomed, lost.accessToken);
    const keptSocket = await connect(survivor, kept.accessToken);
    await eventually('both online', async () => (await isOnline(lost.id)) && (await isOnline(kept.id)));
    await doomed.abandon();
    expect(await isOnline(lost.id)).toBe(true); // nobody cleaned up...
    await eventually(
      'the lost user expires',
      async () => !(await isOnline(lost.id)),
      TTL_SECONDS * 1000 + 500,
    );
    expect(await isOnline(kept.id)).toBe(true);
    // A later connect of the lost user is not confused by the dead instance's leftover count.
    const back = await connect(survivor, lost.accessToken);
    await eventually('online again', () => isOnline(lost.id));
    await back.close();
    await eventually('offline again', async () => !(await isOnline(lost.id)), 2000);
    await keptSocket.close();
    await survivor.stop();
  });

  it('clears presence and closes sockets with 1001 on a graceful stop', async () => {
    const instance = await world.start({ PRESENCE_TTL_SECONDS: String(TTL_SECONDS) });
    const user = await world.seedUser();
    const socket = await connect(instance, user.accessToken);
    await eventually('online', () => isOnline(user.id));
    await instance.stop();
    expect((await socket.closed).code).toBe(1001);
    expect(await world.redis.zscore(PRESENCE_ONLINE_KEY, user.id)).toBeNull();
  });

  it('tells connected users when someone comes online with a first tab and goes offline with the last', async () => {
    const [a, b] = await Promise.all([
      world.start({ PRESENCE_TTL_SECONDS: String(TTL_SECONDS) }),
      world.start({ PRESENCE_TTL_SECONDS: String(TTL_SECONDS) }),
    ]);
    const [watcher, user] = await Promise.all([world.seedUser(), world.seedUser()]);
    const watching = await connect(a, watcher.accessToken);
    await watching.next((frame) => frame.type === 'chat.snapshot');
    const about = (online: boolean) => (frame: Frame) =>
      frame.type === 'presence' && frame.userId === user.id && frame.online === online;
    const tab1 = await connect(b, user.accessToken);
    await watching.next(about(true));
    // The newcomer's snapshot lists who is online, itself included.
    const snapshot = await tab1.next((frame) => frame.type === 'chat.snapshot');
    expect(snapshot.online).toEqual(expect.arrayContaining([watcher.id, user.id]));
    const tab2 = await connect(a, user.accessToken);
    await tab1.close();
    await sleep(300);
    expect(watching.frames.filter(about(true))).toHaveLength(1);
    expect(watching.frames.filter(about(false))).toHaveLength(0);
    await tab2.close();
    await watching.next(about(false));
    await watching.close();
    await Promise.all([a.stop(), b.stop()]);
  });

  it('announces the users of a killed instance offline within the TTL', async () => {
    const [doomed, survivor] = await Promise.all([
      world.start({ PRESENCE_TTL_SECONDS: String(TTL_SECONDS) }),
      world.start({ PRESENCE_TTL_SECONDS: String(TTL_SECONDS) }),
    ]);
    const [watcher, lost] = await Promise.all([world.seedUser(), world.seedUser()]);
    const watching = await connect(survivor, watcher.accessToken);
    await connect(doomed, lost.accessToken);
    await watching.next(
      (frame) => frame.type === 'presence' && frame.userId === lost.id && frame.online === true,
    );
    await doomed.abandon();
    // `next` throws unless the offline frame comes within the TTL (and a margin for the sweep).
    await watching.next(
      (frame) => frame.type === 'presence' && frame.userId === lost.id && frame.online === false,
      TTL_SECONDS * 1000 + 1500,
    );
    await watching.close();
    await survivor.stop();
  });

  it('above PRESENCE_BROADCAST_LIMIT tells only the user’s contacts and explicit subscribers', async () => {
    const instance = await world.start({ PRESENCE_BROADCAST_LIMIT: '0' });
    const [user, friend, stranger, curious] = await Promise.all([
      world.seedUser(),
      world.seedUser(),
      world.seedUser(),
      world.seedUser(),
    ]);
    const snapshotOf = (socket: Awaited<ReturnType<typeof connect>>) =>
      socket.next((frame) => frame.type === 'chat.snapshot');
    // A direct message makes them contacts; a socket watches its contacts from its next connect.
    const first = await connect(instance, friend.accessToken);
    await snapshotOf(first);
    first.send({ type: 'chat.send', to: user.id, text: 'hi', clientId: randomUUID() });
    await first.next((frame) => frame.type === 'chat.ack');
    await first.close();
    const [friendly, bystander, watcher] = await Promise.all([
      connect(instance, friend.accessToken),
      connect(instance, stranger.accessToken),
      connect(instance, curious.accessToken),
    ]);
    await Promise.all([friendly, bystander, watcher].map(snapshotOf));
    watcher.send({ type: 'presence.subscribe', userIds: [user.id] });
    const about = (online: boolean) => (frame: Frame) =>
      frame.type === 'presence' && frame.userId === user.id && frame.online === online;
    await watcher.next(about(false)); // where the user stands when the subscription starts
    const socket = await connect(instance, user.accessToken);
    await Promise.all([friendly.next(about(true)), watcher.next(about(true), 2000)]);
    await socket.close();
    await friendly.next(about(false));
    await sleep(200);
    expect(bystander.frames.filter((frame) => frame.type === 'presence')).toEqual([]);
    await Promise.all([friendly, bystander, watcher].map((s) => s.close()));
    await instance.stop();
  });
});
