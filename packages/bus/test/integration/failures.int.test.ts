import { Registry } from 'prom-client';
import { DEAD_LETTER_HEADERS, PermanentFailure, createEnvelope } from '../../src/index.js';
import {
  TEST_RETRY,
  connectTestBus,
  drain,
  messageCount,
  waitFor,
  withChannel,
  type TestBus,
} from './harness.js';

describe('Bus consumer failures', () => {
  let t: TestBus;

  beforeEach(async () => {
    t = await connectTestBus();
  });

  afterEach(async () => {
    await t.dispose();
  });

  it('dead-letters a body that is not JSON, logs why, and keeps consuming', async () => {
    const handled: string[] = [];
    await t.bus.consume('email', async (envelope) => void handled.push(envelope.id));
    await withChannel(async (channel) => {
      channel.sendToQueue(t.name('email'), Buffer.from('{not json'), { messageId: 'poison-1' });
      await channel.waitForConfirms();
    });
    const valid = createEnvelope('mail.welcome', {});
    await t.bus.publish({ queue: 'email' }, valid);

    await waitFor('the valid message', () => handled.length === 1);
    await waitFor(
      'the poison message in email.dlq',
      async () => (await messageCount(t.name('email.dlq'))) === 1,
    );
    expect(handled).toEqual([valid.id]);
    const [dead] = await drain(t.name('email.dlq'));
    expect(dead?.content.toString()).toBe('{not json');
    expect(dead?.properties.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.reason]: expect.stringMatching(/not JSON/),
      [DEAD_LETTER_HEADERS.queue]: t.name('email'),
    });
    expect(t.lines).toContainEqual(
      expect.objectContaining({ messageId: 'poison-1', reason: expect.stringMatching(/not JSON/) }),
    );
  });

  it('dead-letters JSON that is not an envelope', async () => {
    await t.bus.consume('logs', async () => undefined);
    await withChannel(async (channel) => {
      channel.sendToQueue(t.name('logs'), Buffer.from(JSON.stringify({ hello: 'world' })));
      await channel.waitForConfirms();
    });
    await waitFor('the message in logs.dlq', async () => (await messageCount(t.name('logs.dlq'))) === 1);
    expect(t.lines).toContainEqual(
      expect.objectContaining({ reason: expect.stringMatching(/not an envelope/) }),
    );
  });

  it('retries a failing handler with growing delays, then dead-letters it after the last attempt', async () => {
    const attempts: Array<{ attempt: number; last: boolean; at: number }> = [];
    await t.bus.consume('email', async (_envelope, delivery) => {
      attempts.push({ attempt: delivery.attempt, last: delivery.lastAttempt, at: Date.now() });
      throw new Error('smtp is down');
    });
    const envelope = createEnvelope('mail.welcome', {});
    await t.bus.publish({ queue: 'email' }, envelope);

    await waitFor('the message in email.dlq', async () => (await messageCount(t.name('email.dlq'))) === 1);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    // The handler knows which failure is final (worker-media then marks the file failed).
    expect(attempts.map((a) => a.last)).toEqual([false, false, true]);
    const gaps = attempts.slice(1).map((a, i) => a.at - (attempts[i]?.at ?? 0));
    // TTLs expire no earlier than the delay; allow a little clock granularity.
    expect(gaps[0]).toBeGreaterThanOrEqual((TEST_RETRY.delaysMs[0] ?? 0) - 10);
    expect(gaps[1]).toBeGreaterThanOrEqual((TEST_RETRY.delaysMs[1] ?? 0) - 10);

    const [dead] = await drain(t.name('email.dlq'));
    expect(JSON.parse(dead?.content.toString() ?? '')).toEqual(envelope);
    expect(dead?.properties).toMatchObject({
      messageId: envelope.id,
      headers: { attempt: 3, [DEAD_LETTER_HEADERS.reason]: 'failed 3 times; last error: smtp is down' },
    });
    expect(t.lines).toContainEqual(
      expect.objectContaining({ msg: expect.stringMatching(/last attempt/), attempt: 3 }),
    );
    // Nothing is left waiting to come back.
    for (const delay of TEST_RETRY.delaysMs)
      expect(await messageCount(t.name(`email.retry.${delay}ms`))).toBe(0);
    expect(await messageCount(t.name('email'))).toBe(0);
  });

  it('acks a message whose handler succeeds on a retry', async () => {
    const attempts: number[] = [];
    await t.bus.consume('logs', async (_envelope, delivery) => {
      attempts.push(delivery.attempt);
      if (delivery.attempt === 1) throw new Error('database busy');
    });
    await t.bus.publish({ queue: 'logs' }, createEnvelope('log.request', {}));
    await waitFor('the second attempt', () => attempts.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(attempts).toEqual([1, 2]);
    expect(await messageCount(t.name('logs.dlq'))).toBe(0);
    expect(await messageCount(t.name('logs'))).toBe(0);
  });

  it('dead-letters at once, with the reason, when a handler throws PermanentFailure', async () => {
    let calls = 0;
    await t.bus.consume('email', async () => {
      calls++;
      throw new PermanentFailure('recipient rejected: 550 no such user');
    });
    const envelope = createEnvelope('mail.welcome', {});
    await t.bus.publish({ queue: 'email' }, envelope);
    await waitFor('the message in email.dlq', async () => (await messageCount(t.name('email.dlq'))) === 1);
    const [dead] = await drain(t.name('email.dlq'));
    expect(calls).toBe(1);
    expect(dead?.properties.messageId).toBe(envelope.id);
    expect(dead?.properties.headers?.[DEAD_LETTER_HEADERS.reason]).toBe(
      'recipient rejected: 550 no such user',
    );
  });
});

describe('Bus metrics', () => {
  it('counts published and consumed messages by outcome and reports queue depths', async () => {
    const registry = new Registry();
    const t = await connectTestBus({ registry });
    try {
      let seen = 0;
      const handle = await t.bus.consume('logs', async (envelope) => {
        seen++;
        if (envelope.type === 'log.poison') throw new PermanentFailure('bad');
      });
      await t.bus.publish({ queue: 'logs' }, createEnvelope('log.request', {}));
      await t.bus.publish({ queue: 'logs' }, createEnvelope('log.poison', {}));
      await waitFor('both deliveries', () => seen === 2);
      await waitFor('the poison in logs.dlq', async () => (await messageCount(t.name('logs.dlq'))) === 1);
      await handle.cancel();
      await t.bus.publish({ queue: 'logs' }, createEnvelope('log.request', {}));

      const text = await registry.metrics();
      expect(text).toContain('bus_messages_published_total{destination="logs"} 3');
      expect(text).toContain('bus_messages_consumed_total{queue="logs",outcome="acked"} 1');
      expect(text).toContain('bus_messages_consumed_total{queue="logs",outcome="dead_lettered"} 1');
      expect(text).toContain('bus_queue_messages{queue="logs"} 1');
      expect(text).toContain('bus_queue_messages{queue="logs.dlq"} 1');
      expect(text).toContain('bus_connected 1');
    } finally {
      await t.dispose();
    }
  });
});
