import { MailSeal } from '@platform/runtime';
import { checkMetrics } from '@platform/testkit';
import { eventually, mailWorld, type MailWorld } from './harness.js';

let world: MailWorld;

beforeAll(async () => {
  world = await mailWorld();
});
afterAll(() => world.close());

describe('GET /metrics (worker-email)', () => {
  it('exposes metrics that promtool accepts without a lint warning', async () => {
    const worker = await world.startWorker();
    try {
      // One delivered mail puts samples in the send and handler histograms.
      const to = 'metrics@example.com';
      await world.bus.publish(
        { queue: 'email' },
        MailSeal.fromKeys(undefined).envelope({
          template: 'welcome',
          to,
          userId: null,
          displayName: 'Ada',
          verifyUrl: 'https://app.example.test/verify-email?token=abc',
        }),
      );
      await world.sink.waitFor((mail) => mail.to.includes(to));
      const scrape = () => worker.resources.registry.metrics();
      await eventually('the delivery to be counted', async () =>
        /^bus_handler_duration_seconds_count\{/m.test(await scrape()),
      );

      const text = await scrape();
      expect(text).toMatch(/^email_send_duration_seconds_count\{/m);
      await checkMetrics(text);
    } finally {
      await worker.stop();
    }
  });
});
