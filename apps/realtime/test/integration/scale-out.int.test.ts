import { randomUUID } from 'node:crypto';
import {
  connect,
  eventually,
  realtimeWorld,
  sleep,
  type Frame,
  type Instance,
  type RealtimeWorld,
} from './harness.js';

describe('two instances', () => {
  let world: RealtimeWorld;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    world = await realtimeWorld();
    [a, b] = await Promise.all([world.start(), world.start()]);
  });
  afterAll(() => world.close());

  it('greets a user connected to either instance, whichever instance consumed the login', async () => {
    const users = await Promise.all(Array.from({ length: 6 }, (_, i) => world.seedUser(`User ${i}`)));
    // Half the users on each instance; six logins spread over both competing consumers.
    const sockets = await Promise.all(users.map((user, i) => connect(i % 2 === 0 ? a : b, user.accessToken)));
    await Promise.all(
      users.map((user, i) =>
        world.publishEvent('user.logged_in', {
          userId: user.id,
          sessionId: user.sessionId,
          displayName: `User ${i}`,
        }),
      ),
    );
    await Promise.all(
      sockets.map((socket, i) =>
        socket.next((frame) => frame.type === 'notification' && frame.message === `Welcome back, User ${i}!`),
      ),
    );
    await Promise.all(sockets.map((socket) => socket.close()));
  });

  it('closes the sockets of a revoked session on every instance with 4001, and only those', async () => {
    const user = await world.seedUser();
    const other = world.tokens.sign({
      userId: user.id,
      role: 'user',
      sessionId: randomUUID(),
      authTime: new Date(),
    });
    const onA = await connect(a, user.accessToken);
    const onB = await connect(b, user.accessToken);
    const otherSession = await connect(b, other.token);
    const started = Date.now();
    await world.publishEvent('session.revoked', {
      userId: user.id,
      sessionId: user.sessionId,
      reason: 'admin',
    });
    const closes = await Promise.all([onA.closed, onB.closed]);
    expect(closes.map((close) => close.code)).toEqual([4001, 4001]);
    expect(Date.now() - started).toBeLessThan(1000);
    otherSession.send({ type: 'ping' });
    await otherSession.next((frame) => frame.type === 'pong');
    await otherSession.close();
  });

  it('closes the sockets of a logged-out session', async () => {
    const user = await world.seedUser();
    const socket = await connect(b, user.accessToken);
    await world.publishEvent('user.logged_out', { userId: user.id, sessionId: user.sessionId });
    expect((await socket.closed).code).toBe(4001);
  });

  it('rebinds its fanout queue after losing the broker connection', async () => {
    const user = await world.seedUser('Ada');
    const socket = await connect(b, user.accessToken);
    const before = b.running.subscriber;
    before.simulateConnectionLoss();
    await eventually('the subscriber is back', () => before.isReady());
    await world.publishEvent('user.logged_in', {
      userId: user.id,
      sessionId: user.sessionId,
      displayName: 'Ada',
    });
    await socket.next((frame) => frame.type === 'notification');
    await socket.close();
  });

  it('delivers global and direct chat between users on different instances', async () => {
    const [ada, bob] = await Promise.all([world.seedUser(), world.seedUser()]);
    const onA = await connect(a, ada.accessToken);
    const onB = await connect(b, bob.accessToken);
    await Promise.all([onA, onB].map((socket) => socket.next((frame) => frame.type === 'chat.snapshot')));
    const hello = `hello from A ${randomUUID()}`;
    onA.send({ type: 'chat.send', text: hello, clientId: randomUUID() });
    await onB.next((frame) => frame.type === 'chat.message' && frame.text === hello && frame.from === ada.id);
    const reply = `reply from B ${randomUUID()}`;
    onB.send({ type: 'chat.send', to: ada.id, text: reply, clientId: randomUUID() });
    const dm = await onA.next((frame) => frame.type === 'chat.message' && frame.text === reply);
    expect(dm).toMatchObject({ from: bob.id, to: ada.id });
    // The delivered receipt comes back across instances too, once.
    const delivered = (frame: Frame) =>
      frame.type === 'receipt' && frame.id === dm.id && frame.status === 'delivered';
    await onB.next(delivered);
    await sleep(300);
    expect(onB.frames.filter(delivered)).toHaveLength(1);
    await Promise.all([onA.close(), onB.close()]);
  });
});
