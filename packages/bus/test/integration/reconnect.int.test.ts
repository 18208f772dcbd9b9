import type { BusOptions } from '../../src/index.js';
import { PublishBufferFullError, createEnvelope } from '../../src/index.js';
import { closeConnectionOnBroker, connectTestBus, waitFor, type TestBus } from './harness.js';

describe('Bus after a broker-side connection close', () => {
  let t: TestBus | undefined;
  const received = new Set<string>();

  /** A bus with a consumer on `email` that records what it receives. */
  async function start(options: Partial<BusOptions>): Promise<TestBus> {
    received.clear();
    t = await connectTestBus(options);
    await t.bus.consume('email', async (envelope) => void received.add(envelope.id));
    return t;
  }

  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  function publisher(bus: TestBus['bus']) {
    return () => {
      const envelope = createEnvelope('mail.welcome', {});
      return { id: envelope.id, confirmed: bus.publish({ queue: 'email' }, envelope) };
    };
  }

  it('reconnects, resumes its consumer and delivers what was buffered during the outage', async () => {
    // A long first backoff keeps the outage open long enough to publish into it deterministically.
    const { bus, connectionName, lines } = await start({
      bufferSize: 20,
      reconnect: { initialDelayMs: 1_500 },
    });
    const publish = publisher(bus);
    const before = publish();
    await before.confirmed;

    await closeConnectionOnBroker(connectionName);
    await waitFor('the bus to notice the outage', () => !bus.isReady());
    const during = Array.from({ length: 20 }, publish);
    // The buffer holds 20: the next publish is refused at once instead of piling up in memory.
    await expect(publish().confirmed).rejects.toBeInstanceOf(PublishBufferFullError);

    await waitFor('the reconnect', () => bus.isReady());
    await Promise.all(during.map((p) => p.confirmed));
    const ids = [before, ...during].map((p) => p.id);
    await waitFor('every message', () => ids.every((id) => received.has(id)));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'amqp connection re-established' }));
  });

  it('loses no message published in a steady stream across the close', async () => {
    const { bus, connectionName } = await start({ reconnect: { initialDelayMs: 200 } });
    const publish = publisher(bus);
    const sent: Array<ReturnType<typeof publish>> = [];
    // Several publishes per tick, so some are awaiting their confirm when the connection drops.
    const stream = setInterval(() => sent.push(...Array.from({ length: 5 }, publish)), 10);
    try {
      await waitFor('some traffic', () => sent.length >= 50);
      await closeConnectionOnBroker(connectionName);
      await waitFor('the outage', () => !bus.isReady());
      await waitFor('the reconnect', () => bus.isReady());
      const resumedAt = sent.length;
      await waitFor('traffic after the reconnect', () => sent.length >= resumedAt + 50);
    } finally {
      clearInterval(stream);
    }
    await Promise.all(sent.map((p) => p.confirmed));
    await waitFor('every message', () => sent.every((p) => received.has(p.id)));
  });
});
