import type { Envelope } from '@platform/contracts';
import { InvalidEnvelopeError, createEnvelope, type Delivery } from '../../src/index.js';
import { connectTestBus, messageCount, waitFor, type TestBus } from './harness.js';

describe('Bus publish and consume', () => {
  let t: TestBus;

  beforeEach(async () => {
    t = await connectTestBus();
  });

  afterEach(async () => {
    await t.dispose();
  });

  it('delivers a confirmed message exactly once, with its envelope and AMQP properties', async () => {
    const received: Array<{ envelope: Envelope; delivery: Delivery }> = [];
    const consumer = await t.bus.consume('email', async (envelope, delivery) => {
      received.push({ envelope, delivery });
    });
    const envelope = createEnvelope('mail.welcome', { to: 'ada@example.test' });
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

    await t.bus.publish({ queue: 'email' }, envelope, { headers: { traceparent } });
    await waitFor('one delivery', () => received.length === 1);
    // Give a duplicate the time it would need to show up, then check the queue holds nothing unacked.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await consumer.cancel();

    expect(received).toHaveLength(1);
    const [first] = received;
    expect(first?.envelope).toEqual(envelope);
    expect(first?.delivery.attempt).toBe(1);
    expect(first?.delivery.properties).toMatchObject({
      messageId: envelope.id,
      type: 'mail.welcome',
      contentType: 'application/json',
      deliveryMode: 2,
      appId: t.connectionName,
      headers: { traceparent },
    });
    expect(typeof first?.delivery.properties.timestamp).toBe('number');
    expect(await messageCount(t.name('email'))).toBe(0);
  });

  it('routes a log event published on the events exchange into the logs queue', async () => {
    const types: string[] = [];
    await t.bus.consume('logs', async (envelope) => void types.push(envelope.type));
    await t.bus.publish({ exchange: 'events' }, createEnvelope('log.audit', { action: 'user.lock' }));
    await t.bus.publish({ exchange: 'events' }, createEnvelope('user.updated', { changes: [] }));
    await waitFor('the log event', () => types.length === 1);
    expect(types).toEqual(['log.audit']);
  });

  it('keeps the publishing order of a burst larger than the prefetch window', async () => {
    const seen: number[] = [];
    await t.bus.consume('logs', async (envelope) => void seen.push(Number(envelope.payload)), {
      prefetch: 1,
    });
    const count = 500;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        t.bus.publish({ queue: 'logs' }, createEnvelope('log.request', i)),
      ),
    );
    await waitFor(`${count} deliveries`, () => seen.length === count);
    expect(seen).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it('refuses an envelope that breaks the schema without sending anything', async () => {
    const bad = { ...createEnvelope('log.request', {}), occurredAt: 'yesterday' };
    await expect(t.bus.publish({ queue: 'logs' }, bad)).rejects.toBeInstanceOf(InvalidEnvelopeError);
    expect(await messageCount(t.name('logs'))).toBe(0);
  });

  it('stops delivering to a cancelled consumer and leaves new messages in the queue', async () => {
    let calls = 0;
    const consumer = await t.bus.consume('email', async () => void calls++);
    await consumer.cancel();
    await t.bus.publish({ queue: 'email' }, createEnvelope('mail.welcome', {}));
    await waitFor(
      'the message to wait in the queue',
      async () => (await messageCount(t.name('email'))) === 1,
    );
    expect(calls).toBe(0);
  });
});
