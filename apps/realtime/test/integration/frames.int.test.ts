import { connect, realtimeWorld, sleep, type Instance, type RealtimeWorld } from './harness.js';

describe('client frames', () => {
  let world: RealtimeWorld;
  let instance: Instance;

  beforeAll(async () => {
    world = await realtimeWorld();
    instance = await world.start({ WS_MESSAGES_PER_SECOND: '5' });
  });
  afterAll(() => world.close());

  it('answers ping with pong', async () => {
    const user = await world.seedUser();
    const socket = await connect(instance, user.accessToken);
    socket.send({ type: 'ping' });
    await socket.next((frame) => frame.type === 'pong');
    await socket.close();
  });

  it('answers bad JSON, unknown types and binary frames with errors, and stays usable', async () => {
    const user = await world.seedUser();
    const socket = await connect(instance, user.accessToken);
    socket.send('{not json');
    await socket.next((frame) => frame.type === 'error' && frame.code === 'bad_json');
    socket.send({ type: 'launch.missiles' });
    await socket.next((frame) => frame.type === 'error' && frame.code === 'unknown_type');
    socket.send({ text: 'no type' });
    await socket.next((frame) => frame.type === 'error' && frame.code === 'validation_failed');
    socket.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await sleep(50);
    expect(socket.frames.filter((frame) => frame.code === 'bad_json')).toHaveLength(2);
    socket.send({ type: 'ping' });
    await socket.next((frame) => frame.type === 'pong');
    await socket.close();
  });

  it('answers a burst above WS_MESSAGES_PER_SECOND with rate_limited, without affecting other sockets', async () => {
    const [noisy, quiet] = await Promise.all([world.seedUser(), world.seedUser()]);
    await sleep(1100); // refill after the frames of earlier tests on this instance
    const flooder = await connect(instance, noisy.accessToken);
    const bystander = await connect(instance, quiet.accessToken);
    for (let i = 0; i < 20; i++) flooder.send({ type: 'ping' });
    await flooder.next((frame) => frame.type === 'error' && frame.code === 'rate_limited');
    expect(flooder.frames.filter((frame) => frame.type === 'pong').length).toBeLessThanOrEqual(6);
    bystander.send({ type: 'ping' });
    await bystander.next((frame) => frame.type === 'pong');
    await sleep(1100);
    flooder.send({ type: 'ping' });
    await sleep(100);
    expect(flooder.frames.filter((frame) => frame.type === 'pong').length).toBeGreaterThanOrEqual(2);
    await Promise.all([flooder.close(), bystander.close()]);
  });

  it('counts open connections and frames in and out by type', async () => {
    const user = await world.seedUser();
    const socket = await connect(instance, user.accessToken);
    await sleep(1100);
    socket.send({ type: 'ping' });
    await socket.next((frame) => frame.type === 'pong');
    const text = await instance.resources.registry.metrics();
    expect(text).toMatch(/^realtime_connections\{[^}]*\} [1-9]/m);
    expect(text).toMatch(/^realtime_messages_in_total\{[^}]*type="ping"[^}]*\} [1-9]/m);
    expect(text).toMatch(/^realtime_messages_out_total\{[^}]*type="pong"[^}]*\} [1-9]/m);
    expect(text).toContain('realtime_slow_consumers_dropped_total');
    expect(text).toContain('realtime_fanout_latency_seconds_bucket');
    await socket.close();
  });

  it('closes a socket that sends a frame above WS_MAX_PAYLOAD_BYTES', async () => {
    const user = await world.seedUser();
    const socket = await connect(instance, user.accessToken);
    socket.send({ type: 'ping', padding: 'x'.repeat(20_000) });
    const { code } = await socket.closed;
    // uWS drops the connection (the client may see 1006 rather than a 1009 close frame).
    expect([1006, 1009]).toContain(code);
  });
});
