import { pino } from 'pino';
import { Registry } from 'prom-client';
import { fakeSocket as fake } from '../../test/support/fake-socket.js';
import { RealtimeMetrics } from '../metrics.js';
import { FrameSender } from './frame-sender.js';
import { CLOSE_CODES } from './frames.js';

const fakeSocket = (buffered: () => number, sendResult = 1) => fake({ buffered, sendResult });

async function counterValue(registry: Registry, name: string): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.reduce((sum, value) => sum + value.value, 0) ?? 0;
}

describe('FrameSender', () => {
  const setup = () => {
    const registry = new Registry();
    const sender = new FrameSender(new RealtimeMetrics(registry), 1000, pino({ level: 'silent' }));
    return { registry, sender };
  };

  it('sends JSON text frames and counts them by type', async () => {
    const { registry, sender } = setup();
    const { socket, sent } = fakeSocket(() => 0);
    expect(sender.send(socket, { type: 'pong' })).toBe(true);
    expect(sent).toEqual(['{"type":"pong"}']);
    expect(await counterValue(registry, 'realtime_messages_out_total')).toBe(1);
  });

  it('closes a socket whose backlog passes the limit with 4008, and counts it', async () => {
    const { registry, sender } = setup();
    const { socket, ended } = fakeSocket(() => 1001);
    expect(sender.send(socket, { type: 'pong' })).toBe(false);
    expect(ended).toEqual([CLOSE_CODES.slowConsumer]);
    expect(await counterValue(registry, 'realtime_slow_consumers_dropped_total')).toBe(1);
  });

  it('treats a frame uWS dropped as a slow consumer too', () => {
    const { sender } = setup();
    const { socket, ended } = fakeSocket(() => 0, 2);
    expect(sender.send(socket, { type: 'pong' })).toBe(false);
    expect(ended).toEqual([CLOSE_CODES.slowConsumer]);
  });

  it('closes a slow consumer once and writes nothing more to it, even when told twice', async () => {
    const { registry, sender } = setup();
    const { socket, sent, ended } = fakeSocket(() => 0);
    sender.dropSlowConsumer(socket, { deferred: true });
    sender.dropSlowConsumer(socket, { deferred: true });
    expect(sender.send(socket, { type: 'pong' })).toBe(false);
    expect(ended).toEqual([]); // deferred: never from inside uWS's publish
    await new Promise((resolve) => setImmediate(resolve));
    expect(ended).toEqual([CLOSE_CODES.slowConsumer]);
    expect(sent).toEqual([]);
    expect(await counterValue(registry, 'realtime_slow_consumers_dropped_total')).toBe(1);
  });

  it('never touches a closed socket', () => {
    const { sender } = setup();
    const { socket, sent, data } = fakeSocket(() => 0);
    data.closed = true;
    expect(sender.send(socket, { type: 'pong' })).toBe(false);
    expect(sent).toEqual([]);
  });
});
