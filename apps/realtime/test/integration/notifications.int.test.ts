import { createEnvelope } from '@platform/bus';
import { Notification } from '@platform/db';
import { connect, eventually, realtimeWorld, sleep, type Instance, type RealtimeWorld } from './harness.js';

type Listing = { items: { id: string; message: string; read: boolean }[] };

describe('welcome notifications', () => {
  let world: RealtimeWorld;
  let instance: Instance;

  beforeAll(async () => {
    world = await realtimeWorld();
    instance = await world.start();
  });
  afterAll(() => world.close());

  const loggedIn = (user: { id: string; sessionId: string }, displayName: string) =>
    world.publishEvent('user.logged_in', { userId: user.id, sessionId: user.sessionId, displayName });

  it('greets the user on every open socket after a login, and nobody else', async () => {
    const [ada, bob] = await Promise.all([world.seedUser('Ada'), world.seedUser('Bob')]);
    const [tab1, tab2, other] = await Promise.all([
      connect(instance, ada.accessToken),
      connect(instance, ada.accessToken),
      connect(instance, bob.accessToken),
    ]);
    const sourceId = await loggedIn(ada, 'Ada');
    for (const tab of [tab1, tab2]) {
      const frame = await tab.next((f) => f.type === 'notification');
      expect(frame).toEqual({
        type: 'notification',
        id: expect.any(String),
        event: 'welcome',
        message: 'Welcome back, Ada!',
        at: expect.any(String),
      });
    }
    await sleep(200);
    expect(other.frames.filter((f) => f.type === 'notification')).toEqual([]);
    const stored = await world.orm.em.fork().findOneOrFail(Notification, { sourceMessageId: sourceId });
    expect(stored).toMatchObject({ userId: ada.id, event: 'welcome', message: 'Welcome back, Ada!' });
    await eventually('delivered_at is set', async () => {
      const row = await world.orm.em.fork().findOneOrFail(Notification, { id: stored.id });
      return row.deliveredAt !== null;
    });
    await Promise.all([tab1.close(), tab2.close(), other.close()]);
  });

  it('tells the uploader, and only them, when worker-media finished a file', async () => {
    const [ada, bob] = await Promise.all([world.seedUser('Ada'), world.seedUser('Bob')]);
    const [tab, other] = await Promise.all([
      connect(instance, ada.accessToken),
      connect(instance, bob.accessToken),
    ]);
    const mediaId = '00000000-0000-4000-8000-000000000001';
    await world.publishEvent('media.processed', {
      userId: ada.id,
      mediaId,
      name: 'cat.png',
      status: 'ready',
    });
    const frame = await tab.next((f) => f.type === 'notification');
    expect(frame).toMatchObject({
      type: 'notification',
      event: 'media.ready',
      message: '"cat.png" is ready.',
    });
    await sleep(200);
    expect(other.frames.filter((f) => f.type === 'notification')).toEqual([]);
    await Promise.all([tab.close(), other.close()]);
  });

  it('stores one notification per login event, however often the event is delivered', async () => {
    const ada = await world.seedUser('Ada');
    const socket = await connect(instance, ada.accessToken);
    const envelopeId = await loggedIn(ada, 'Ada');
    await socket.next((f) => f.type === 'notification');
    const again = {
      ...createEnvelope('user.logged_in', { userId: ada.id, sessionId: ada.sessionId, displayName: 'Ada' }),
      id: envelopeId,
    };
    await world.bus.publish({ exchange: 'events' }, again);
    await sleep(300);
    expect(socket.frames.filter((f) => f.type === 'notification')).toHaveLength(1);
    expect(await world.orm.em.fork().count(Notification, { userId: ada.id })).toBe(1);
    await socket.close();
  });

  it('delivers a notification stored while the user was offline on their next connect, once', async () => {
    const ada = await world.seedUser('Ada');
    await loggedIn(ada, 'Ada');
    await eventually(
      'the notification is stored',
      async () => (await world.orm.em.fork().count(Notification, { userId: ada.id })) === 1,
    );
    await sleep(200); // the fanout found no socket
    const first = await connect(instance, ada.accessToken);
    const frame = await first.next((f) => f.type === 'notification');
    expect(frame).toMatchObject({ event: 'welcome', message: 'Welcome back, Ada!' });
    await first.close();
    await eventually('delivered_at is set', async () => {
      const row = await world.orm.em.fork().findOneOrFail(Notification, { userId: ada.id });
      return row.deliveredAt !== null;
    });
    const second = await connect(instance, ada.accessToken);
    await sleep(300);
    expect(second.frames.filter((f) => f.type === 'notification')).toEqual([]);
    await second.close();
  });

  it("lists the caller's notifications newest first and marks their own read", async () => {
    const [ada, bob] = await Promise.all([world.seedUser('Ada'), world.seedUser('Bob')]);
    await loggedIn(ada, 'Ada');
    await eventually(
      'stored',
      async () => (await world.orm.em.fork().count(Notification, { userId: ada.id })) === 1,
    );
    await loggedIn(ada, 'Ada Lovelace');
    await eventually(
      'stored',
      async () => (await world.orm.em.fork().count(Notification, { userId: ada.id })) === 2,
    );
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });

    const list = await fetch(`${instance.url}/notifications`, { headers: auth(ada.accessToken) });
    expect(list.status).toBe(200);
    const { items } = (await list.json()) as Listing;
    expect(items.map((item) => item.message)).toEqual(['Welcome back, Ada Lovelace!', 'Welcome back, Ada!']);
    expect(items.every((item) => !item.read)).toBe(true);
    const id = items[0]?.id ?? '';

    const foreign = await fetch(`${instance.url}/notifications/${id}/read`, {
      method: 'POST',
      headers: auth(bob.accessToken),
    });
    expect(foreign.status).toBe(404);
    const own = await fetch(`${instance.url}/notifications/${id}/read`, {
      method: 'POST',
      headers: auth(ada.accessToken),
    });
    expect(own.status).toBe(204);
    const after = (await (
      await fetch(`${instance.url}/notifications`, { headers: auth(ada.accessToken) })
    ).json()) as Listing;
    expect(after.items.find((item) => item.id === id)?.read).toBe(true);

    const anonymous = await fetch(`${instance.url}/notifications`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toBe('application/problem+json');
    const bogus = await fetch(`${instance.url}/notifications/not-a-uuid/read`, {
      method: 'POST',
      headers: auth(ada.accessToken),
    });
    expect(bogus.status).toBe(404);
  });
});
