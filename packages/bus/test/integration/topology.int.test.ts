import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Bus } from '../../src/index.js';
import {
  TEST_RETRY,
  amqpUrl,
  captureLogger,
  connectTestBus,
  messageCount,
  waitFor,
  withChannel,
  type TestBus,
} from './harness.js';

const exec = promisify(execFile);

describe('assertTopology', () => {
  let t: TestBus;

  beforeAll(async () => {
    t = await connectTestBus();
  });

  afterAll(async () => {
    await t.dispose();
  });

  it('declares durable exchanges of the right types inside the namespace', async () => {
    const { stdout } = await exec('rabbitmqctl', ['list_exchanges', '-q', 'name', 'type', 'durable']);
    const ours = stdout
      .split('\n')
      .filter((line) => line.startsWith(`${t.namespace}.`))
      .sort();
    expect(ours).toEqual(
      [
        `${t.name('chat')}\tfanout\ttrue`,
        `${t.name('email.dlx')}\tfanout\ttrue`,
        `${t.name('events')}\ttopic\ttrue`,
        `${t.name('logs.dlx')}\tfanout\ttrue`,
        `${t.name('media.dlx')}\tfanout\ttrue`,
        `${t.name('notifications')}\tfanout\ttrue`,
      ].sort(),
    );
  });

  it('declares each work queue durable with a dead-letter queue and one retry queue per delay', async () => {
    const { stdout } = await exec('rabbitmqctl', ['list_queues', '-q', 'name', 'durable', 'arguments']);
    const ours = new Map(
      stdout
        .split('\n')
        .filter((line) => line.startsWith(`${t.namespace}.`))
        .map((line) => [line.split('\t')[0], line.split('\t').slice(1).join('\t')]),
    );
    for (const queue of ['email', 'logs', 'media']) {
      expect(ours.get(t.name(queue))).toMatch(
        new RegExp(`^true\t.*x-dead-letter-exchange.*${t.name(queue)}\\.dlx`),
      );
      expect(ours.get(t.name(`${queue}.dlq`))).toMatch(/^true/);
      for (const delay of TEST_RETRY.delaysMs) {
        expect(ours.get(t.name(`${queue}.retry.${delay}ms`))).toMatch(
          new RegExp(`^true\t.*x-message-ttl.*${delay}`),
        );
      }
    }
    expect(ours.size).toBe(12);
  });

  it('routes a message rejected on a work queue into its dead-letter queue', async () => {
    await withChannel(async (channel) => {
      channel.sendToQueue(t.name('email'), Buffer.from('reject me'));
      await channel.waitForConfirms();
      const message = await channel.get(t.name('email'));
      if (!message) throw new Error('the message never reached the work queue');
      channel.nack(message, false, false);
      // Wait on this connection: amqplib may send the close before the nack, which would requeue instead.
      await waitFor('the message in email.dlq', async () => {
        return (await channel.checkQueue(t.name('email.dlq'))).messageCount === 1;
      });
    });
    expect(await messageCount(t.name('email'))).toBe(0);
  });

  it('can be asserted again by another connection with the same settings', async () => {
    const { logger } = captureLogger();
    const again = await Bus.connect({
      url: amqpUrl(),
      namespace: t.namespace,
      connectionName: `${t.connectionName}-again`,
      logger,
      retry: TEST_RETRY,
    });
    expect(again.isReady()).toBe(true);
    await again.close();
  });
});
