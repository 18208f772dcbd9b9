import { checkMetrics } from '@platform/testkit';
import { countRows, eventually, logsWorld, publishRequestLogs, type LogsWorld } from './harness.js';

let world: LogsWorld;

beforeAll(async () => {
  world = await logsWorld();
});
afterAll(() => world.close());

describe('GET /metrics (worker-logs)', () => {
  it('exposes metrics that promtool accepts without a lint warning', async () => {
    const worker = await world.start({ LOG_BATCH_SIZE: '10', LOG_BATCH_MAX_WAIT_MS: '50' });
    try {
      // A stored batch puts samples in the batch-size and handler histograms.
      await publishRequestLogs(world.bus, 3);
      await eventually('3 stored rows', async () => (await countRows(world.orm)).rows === 3);
      const scrape = () => worker.resources.registry.metrics();
      await eventually('the batch to be counted', async () =>
        /^bus_handler_duration_seconds_count\{/m.test(await scrape()),
      );

      const text = await scrape();
      expect(text).toMatch(/^logs_batch_size_count/m);
      await checkMetrics(text);
    } finally {
      await worker.stop();
    }
  });
});
