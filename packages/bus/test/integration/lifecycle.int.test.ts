import { Bus, BusClosedError, createEnvelope } from '../../src/index.js';
import { captureLogger, connectTestBus, connectionPids, messageCount, waitFor } from './harness.js';

describe('Bus lifecycle', () => {
  it('fails fast when the first connection attempt fails', async () => {
    const { logger } = captureLogger();
    const connecting = Bus.connect({
      url: 'amqp://guest:guest@127.0.0.1:1',
      namespace: 'unreachable',
      connectionName: 'bus-test-unreachable',
      logger,
    });
    await expect(connecting).rejects.toThrow(/ECONNREFUSED/);
  });

  it('closes cleanly: handlers and confirms settle, later publishes are refused, the connection is gone', async () => {
    const t = await connectTestBus();
    let finished = 0;
    let started = 0;
    await t.bus.consume('email', async () => {
      started++;
      await new Promise((resolve) => setTimeout(resolve, 200));
      finished++;
    });
    const confirmed = Array.from({ length: 50 }, () =>
      t.bus.publish({ queue: 'logs' }, createEnvelope('log.request', {})),
    );
    await t.bus.publish({ queue: 'email' }, createEnvelope('mail.welcome', {}));
    await waitFor('the handler to start', () => started === 1);
    expect(t.bus.isReady()).toBe(true);

    await t.bus.close();

    expect(finished).toBe(1);
    await expect(Promise.all(confirmed)).resolves.toHaveLength(50);
    expect(t.bus.isReady()).toBe(false);
    await expect(t.bus.publish({ queue: 'logs' }, createEnvelope('log.request', {}))).rejects.toBeInstanceOf(
      BusClosedError,
    );
    await expect(t.bus.consume('logs', async () => undefined)).rejects.toBeInstanceOf(BusClosedError);
    await expect(t.bus.close()).resolves.toBeUndefined();
    // The handled message was acked before the close, so it does not come back.
    expect(await messageCount(t.name('email'))).toBe(0);
    expect(await messageCount(t.name('logs'))).toBe(50);
    expect(await connectionPids(t.connectionName)).toEqual([]);
    expect(t.lines.filter((line) => Number(line.level) >= 40)).toEqual([]);
    await t.dispose();
  });
});
