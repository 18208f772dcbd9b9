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

  describe('with a write-coalescing window', () => {
    const windowed = (subscribers: Array<{ sent: string[] }>) => {
      const registry = new Registry();
      // A topic publish reaches its subscribers before any later direct send, as uWS guarantees.
      const topics = {
        publish: (_topic: string, text: string) => subscribers.forEach((s) => s.sent.push(text)),
        subscribers: () => subscribers.length,
      };
      const sender = new FrameSender(new RealtimeMetrics(registry), 1000, pino({ level: 'silent' }), {
        coalesceMs: 5,
        topics,
      });
      return { registry, sender };
    };
    const windowClosed = () => new Promise((resolve) => setTimeout(resolve, 20));

    it("holds frames until the window closes, then writes each socket's in one corked write, in order", async () => {
      const [ada, bob] = [fakeSocket(() => 0), fakeSocket(() => 0)];
      const corks = [jest.spyOn(ada.socket, 'cork'), jest.spyOn(bob.socket, 'cork')];
      const { registry, sender } = windowed([]);
      for (const n of [1, 2, 3]) {
        expect(sender.sendText(ada.socket, 'typing', `a${n}`)).toBe(true);
        sender.sendText(bob.socket, 'typing', `b${n}`);
      }
      expect([ada.sent, bob.sent]).toEqual([[], []]);
      await windowClosed();
      expect([ada.sent, bob.sent]).toEqual([
        ['a1', 'a2', 'a3'],
        ['b1', 'b2', 'b3'],
      ]);
      expect(corks.map((cork) => cork.mock.calls.length)).toEqual([1, 1]);
      expect(await counterValue(registry, 'realtime_messages_out_total')).toBe(6);
    });

    it("puts a topic frame between a socket's direct frames where it was sent", async () => {
      const ada = fakeSocket(() => 0);
      const { registry, sender } = windowed([ada]);
      sender.sendText(ada.socket, 'typing', 'd1');
      expect(sender.publish('everyone', 'chat.message', 't1')).toBe(1);
      sender.sendText(ada.socket, 'typing', 'd2');
      sender.sendText(ada.socket, 'typing', 'd3');
      sender.publish('everyone', 'chat.message', 't2');
      await windowClosed();
      expect(ada.sent).toEqual(['d1', 't1', 'd2', 'd3', 't2']);
      expect(await counterValue(registry, 'realtime_messages_out_total')).toBe(5);
    });

    it('tells when what it holds has been written', async () => {
      const ada = fakeSocket(() => 0);
      const { sender } = windowed([]);
      const seen: string[][] = [];
      sender.afterWrite(() => seen.push([...ada.sent])); // nothing held: at once
      sender.sendText(ada.socket, 'typing', 'held');
      sender.afterWrite(() => seen.push([...ada.sent]));
      expect(seen).toEqual([[]]);
      await windowClosed();
      expect(seen).toEqual([[], ['held']]);
    });

    it('drops what it held for a socket that closed meanwhile', async () => {
      const ada = fakeSocket(() => 0);
      const { sender } = windowed([]);
      sender.sendText(ada.socket, 'typing', 'late');
      ada.data.closed = true;
      await windowClosed();
      expect(ada.sent).toEqual([]);
    });

    it('writes what it holds at once when flushed (shutdown)', () => {
      const ada = fakeSocket(() => 0);
      const { sender } = windowed([]);
      sender.sendText(ada.socket, 'typing', 'now');
      sender.flush();
      expect(ada.sent).toEqual(['now']);
    });
  });
});
