import { Counter, Histogram, type Registry } from 'prom-client';
import { createEnvelope, PermanentFailure, type Delivery } from '@platform/bus';
import { EXCHANGES, parseEnvelope, QUEUES, type Envelope } from '@platform/contracts';
import type { BaseResources, RunningWorker } from '@platform/runtime';
import { openStorage, type ObjectStorage } from '@platform/storage';
import type { MediaWorkerConfig } from './config.js';
import { MediaProcessor, type Processed, type ProcessorSettings } from './process-media.js';
import { purgeAbandonedUploads, purgeUnattached } from './purge.js';

/** How often unattached uploads are looked for (they are purged after MEDIA_UNATTACHED_TTL_SECONDS). */
const PURGE_INTERVAL_MS = 15 * 60 * 1000;
/** A temporary upload object untouched this long was left by a crashed media process. */
const ABANDONED_UPLOAD_SECONDS = 3600;

/** What a test may add: its own storage, or a hook where a crash is simulated. */
export interface MediaWorkerOptions {
  storage?: ObjectStorage;
  beforeCommit?: ProcessorSettings['beforeCommit'];
}

/**
 * Consumes `media.uploaded`: cleans images (orientation applied, metadata gone), makes thumbnails and
 * avatar crops, reads durations and poster frames with ffmpeg, records the result and announces
 * `media.processed` (realtime tells the owner). A file that cannot be read is marked `failed`; any
 * other error is retried by the bus and, after its last attempt, marked `failed` and dead-lettered to
 * `media.dlq`. Every 15 minutes it also purges uploads never attached to anything and temporary
 * objects a crashed media process left.
 */
export async function startMediaWorker(
  resources: BaseResources,
  config: MediaWorkerConfig,
  options: MediaWorkerOptions = {},
): Promise<RunningWorker> {
  const { bus, orm, registry, log } = resources;
  const storage = options.storage ?? openStorage(config);
  const processor = new MediaProcessor(orm, storage, {
    maxPixels: config.MEDIA_MAX_IMAGE_PIXELS,
    ffmpeg: {
      ffmpeg: config.FFMPEG_PATH,
      ffprobe: config.FFPROBE_PATH,
      timeoutMs: config.MEDIA_FFMPEG_TIMEOUT_MS,
    },
    ...(options.beforeCommit ? { beforeCommit: options.beforeCommit } : {}),
  });
  const metrics = mediaWorkerMetrics(registry);

  const announce = (done: Processed) =>
    bus.publish(
      { exchange: EXCHANGES.events, routingKey: 'media.processed' },
      createEnvelope('media.processed', {
        userId: done.ownerId,
        mediaId: done.mediaId,
        name: done.name,
        status: done.status,
        ...(done.reason ? { reason: done.reason } : {}),
      }),
    );

  const handle = async (envelope: Envelope, delivery: Delivery): Promise<void> => {
    if (envelope.type !== 'media.uploaded')
      throw new PermanentFailure(`worker-media does not handle ${envelope.type}`);
    let payload;
    try {
      payload = parseEnvelope('media.uploaded', envelope).payload;
    } catch {
      throw new PermanentFailure('invalid media.uploaded payload');
    }
    const stopTimer = metrics.duration.startTimer({ kind: payload.kind });
    let done;
    try {
      done = await processor.process(payload.mediaId);
    } catch (error) {
      if (!delivery.lastAttempt) throw error;
      // Dead-lettered next (the alert fires): the medium says `failed` rather than `processing` for ever.
      const given = await processor.giveUp(payload.mediaId);
      if (given) {
        metrics.processed.inc({ kind: given.kind, outcome: 'failed' });
        await announce(given);
      }
      throw error;
    }
    if (!done) return;
    stopTimer({ outcome: done.status });
    metrics.processed.inc({ kind: done.kind, outcome: done.status });
    await announce(done);
  };

  const consumer = await bus.consume(QUEUES.media, handle, { prefetch: config.MEDIA_CONCURRENCY });
  const purge = () =>
    Promise.all([
      purgeUnattached(orm, storage, config.MEDIA_UNATTACHED_TTL_SECONDS).then(
        (count) => count > 0 && log.info({ count }, 'purged unattached uploads'),
        (error: unknown) => log.warn({ err: error }, 'purging unattached uploads failed'),
      ),
      purgeAbandonedUploads(storage, ABANDONED_UPLOAD_SECONDS).then(
        (count) => count > 0 && log.info({ count }, 'purged abandoned temporary uploads'),
        (error: unknown) => log.warn({ err: error }, 'purging abandoned temporary uploads failed'),
      ),
    ]);
  const purger = setInterval(() => void purge(), PURGE_INTERVAL_MS);
  purger.unref();
  return {
    readiness: { storage: () => storage.check() },
    async stop() {
      clearInterval(purger);
      await consumer.cancel();
    },
  };
}

function mediaWorkerMetrics(registry: Registry) {
  return {
    processed: new Counter({
      name: 'media_processed_total',
      help: 'Media processed, by kind and outcome (ready, failed)',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'media_processing_duration_seconds',
      help: 'Time to process one medium (read, clean, thumbnails, record), by kind and outcome',
      labelNames: ['kind', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
      registers: [registry],
    }),
  };
}
