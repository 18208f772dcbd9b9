import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DEFAULT_RETRY_POLICY } from '@platform/bus';
import { storageKeys } from '@platform/storage';
import { eventually } from '@platform/testkit';
import { purgeAbandonedUploads } from '../../src/purge.js';
import { startWorkerWorld, type WorkerWorld } from './harness.js';

let world: WorkerWorld;

beforeAll(async () => {
  world = await startWorkerWorld();
});
afterAll(() => world.close());

describe('what failures leave behind', () => {
  it('deletes temporary upload objects a crashed media process left, and keeps the ones still being written', async () => {
    const put = (key: string) =>
      world.storage.put(key, Readable.from([Buffer.from('partial')]), 'text/plain');
    await Promise.all([put('tmp/abandoned'), put('tmp/streaming'), put(storageKeys.original('kept'))]);
    // The fs backend goes by modification time: the abandoned one was last written two hours ago.
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await utimes(path.join(world.worker.config.STORAGE_DIR, 'tmp/abandoned'), twoHoursAgo, twoHoursAgo);
    expect(await purgeAbandonedUploads(world.storage, 3600)).toBe(1);
    expect(await world.storage.list('tmp/')).toEqual(['tmp/streaming']);
    expect(await world.storage.list('media/')).toEqual([storageKeys.original('kept')]);
    await Promise.all(
      ['tmp/streaming', storageKeys.original('kept')].map((key) => world.storage.delete(key)),
    );
  });

  it('marks a medium failed, and tells its owner, when its job fails the last attempt and is dead-lettered', async () => {
    const id = await world.seedBrokenUpload(DEFAULT_RETRY_POLICY.maxAttempts);
    await eventually('the job in media.dlq', async () =>
      (await world.deadLettered()).some((e) => e.payload.mediaId === id),
    );
    expect(await world.row(id)).toMatchObject({
      status: 'failed',
      failureReason: 'The file could not be processed.',
    });
    await eventually('the failure event', () =>
      world.processed.some((p) => p.mediaId === id && p.status === 'failed'),
    );
  });

  it('leaves a medium processing while its job still has attempts left', async () => {
    const id = await world.seedBrokenUpload(1);
    await eventually('the first attempt failed and was sent to retry', async () =>
      /^bus_messages_consumed_total\{[^}]*outcome="retried"[^}]*\} [1-9]/m.test(
        await world.worker.resources.registry.metrics(),
      ),
    );
    expect((await world.row(id)).status).toBe('processing');
  });
});
