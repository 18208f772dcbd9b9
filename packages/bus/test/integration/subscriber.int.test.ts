import { uniqueId } from '@platform/test-services';
import { Subscriber, createEnvelope, type SubscriberOptions } from '../../src/index.js';
import {
  amqpUrl,
  captureLogger,
  closeConnectionOnBroker,
  connectionPids,
  waitFor,
  withChannel,
  type LogLine,
} from './harness.js';

describe('Subscriber after a broker-side connection close', () => {
  let subscriber: Subscriber | undefined;
  let namespace = '';

  /** A subscriber in a fresh namespace with one exclusive subscription to `notifications`. */
  async function start(options: Partial<SubscriberOptions> = {}) {
    namespace = uniqueId('sub');
    const connectionName = `subscriber-test-${namespace}`;
    const { logger, lines } = captureLogger();
    const received = new Set<string>();
    subscriber = await Subscriber.connect({ url: amqpUrl(), namespace, connectionName, logger, ...options });
    const handle = await subscriber.subscribe({ exchange: 'notifications' }, async (envelope) => {
      received.add(envelope.id);
    });
    return { subscriber, handle, connectionName, lines, received };
  }

  /** Publishes one envelope to the namespace's `notifications` fanout exchange; resolves with its id. */
  function publish(): Promise<string> {
    const envelope = createEnvelope('notification.created', {});
    return withChannel(async (channel) => {
      channel.publish(`${namespace}.notifications`, '', Buffer.from(JSON.stringify(envelope)));
      await channel.waitForConfirms();
      return envelope.id;
    });
  }

  afterEach(async () => {
    await subscriber?.close();
    subscriber = undefined;
    await withChannel((channel) => channel.deleteExchange(`${namespace}.notifications`));
  });

  it('reconnects, declares a new exclusive queue, binds it again and receives again', async () => {
    const t = await start({ reconnect: { initialDelayMs: 100 } });
    const before = t.handle.queueName();
    const first = await publish();
    await waitFor('the first message', () => t.received.has(first));

    await closeConnectionOnBroker(t.connectionName);
    await waitFor('the subscriber to notice the outage', () => !t.subscriber.isReady());
    await waitFor('the reconnect', () => t.subscriber.isReady());

    expect(t.handle.queueName()).not.toBeNull();
    expect(t.handle.queueName()).not.toBe(before);
    const second = await publish();
    await waitFor('a message after the reconnect', () => t.received.has(second));
    const messages = t.lines.map((line: LogLine) => line.msg);
    expect(messages).toContain('subscriber connection lost; reconnecting');
    expect(messages).toContain('subscriber connection re-established');
  });

  it('closes at once while waiting out a reconnect backoff, and does not come back', async () => {
    const t = await start({ reconnect: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    await closeConnectionOnBroker(t.connectionName);
    await waitFor('the subscriber to notice the outage', () => !t.subscriber.isReady());

    const started = Date.now();
    await t.subscriber.close();

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(t.subscriber.isReady()).toBe(false);
    expect(await connectionPids(t.connectionName)).toEqual([]);
    expect(t.lines.map((line) => line.msg)).not.toContain('subscriber connection re-established');
  });
});
