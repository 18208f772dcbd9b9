import { createEnvelope } from '@platform/bus';
import { EXCHANGES, type Audience } from '@platform/contracts';
import { connect, realtimeWorld, sleep, type Frame, type Instance, type RealtimeWorld } from './harness.js';

/** The test's own frames, numbered in publishing order. */
const numbered = (frames: Frame[]) => frames.filter((f) => f.type === 'typing' && 'n' in f).map((f) => f.n);

describe('the write-coalescing window (WS_COALESCE_MS)', () => {
  let world: RealtimeWorld;
  let instance: Instance;

  beforeAll(async () => {
    world = await realtimeWorld();
    instance = await world.start({ WS_COALESCE_MS: '40' });
  });
  afterAll(() => world.close());

  const publish = (audience: Audience, n: number) =>
    world.bus.publish(
      { exchange: EXCHANGES.chat, routingKey: '' },
      createEnvelope('chat.frame', { audience, frame: { type: 'typing', n } }),
    );

  it('delivers every frame once, in publishing order, broadcasts and direct frames interleaved', async () => {
    const [ada, bob] = await Promise.all([world.seedUser(), world.seedUser()]);
    const [adaTab, adaOtherTab, bobTab] = await Promise.all([
      connect(instance, ada.accessToken),
      connect(instance, ada.accessToken),
      connect(instance, bob.accessToken),
    ]);
    const toAda: number[] = [];
    const toEveryone: number[] = [];
    // Bursts with pauses, so that some frames share a window and some windows close between them.
    for (let n = 0; n < 120; n++) {
      const direct = n % 3 !== 0;
      await publish(direct ? { scope: 'users', userIds: [ada.id] } : { scope: 'all' }, n);
      (direct ? toAda : toEveryone).push(n);
      if (n % 20 === 19) await sleep(60);
    }
    const everyFrame = [...toAda, ...toEveryone].sort((a, b) => a - b);
    await adaTab.next((f) => f.n === 119);
    await adaOtherTab.next((f) => f.n === 119);
    await bobTab.next((f) => f.n === 117);
    await sleep(100); // anything duplicated would arrive by now
    expect(numbered(adaTab.frames)).toEqual(everyFrame);
    expect(numbered(adaOtherTab.frames)).toEqual(everyFrame);
    expect(numbered(bobTab.frames)).toEqual(toEveryone);
    await Promise.all([adaTab.close(), adaOtherTab.close(), bobTab.close()]);
  });

  it("answers a socket's own requests through the same window, each once", async () => {
    const user = await world.seedUser();
    const socket = await connect(instance, user.accessToken);
    for (let n = 0; n < 10; n++) {
      await publish({ scope: 'users', userIds: [user.id] }, n);
      socket.send({ type: 'ping' });
    }
    await socket.next((f) => f.n === 9);
    await socket.next(() => socket.frames.filter((f) => f.type === 'pong').length === 10);
    await sleep(100);
    expect(socket.frames.filter((f) => f.type === 'pong')).toHaveLength(10);
    expect(numbered(socket.frames)).toEqual([...Array(10).keys()]);
    await socket.close();
  });
});
