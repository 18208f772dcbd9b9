import { PRESENCE_ONLINE_KEY } from '@platform/contracts';
import { connect, eventually, realtimeWorld, sleep, type RealtimeWorld } from './harness.js';

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
});
