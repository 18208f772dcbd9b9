// A worker-media process that stops dead in the middle of a job: it writes the job's objects, tells
// the test (IPC) and then waits, so the test can SIGKILL it at exactly that point.
import { loadConfig } from '@platform/config';
import { runWorker } from '@platform/runtime';
import { mediaWorkerConfigSchema } from '../../src/config.js';
import { startMediaWorker } from '../../src/worker.js';

const config = loadConfig(mediaWorkerConfigSchema, process.env);
await runWorker('worker-media', config, (resources) =>
  startMediaWorker(resources, config, {
    beforeCommit: (mediaId) => {
      process.send?.({ stuck: mediaId });
      return new Promise<void>(() => undefined);
    },
  }),
);
process.send?.({ started: true });
