import { execFile, fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { createEnvelope } from '@platform/bus';
import { loadConfig } from '@platform/config';
import { EXCHANGES, namespaced, type MediaKind, type MediaPurpose } from '@platform/contracts';
import { Media, type MikroORM } from '@platform/db';
import { openBaseResources } from '@platform/runtime';
import { openStorage, storageKeys, type ObjectStorage } from '@platform/storage';
import {
  createTestEnvironment,
  seedMedia,
  seedUser,
  type TestEnvironment,
  type TestWorker,
} from '@platform/testkit';
import { mediaWorkerConfigSchema, type MediaWorkerConfig } from '../../src/config.js';
import { startMediaWorker } from '../../src/worker.js';

/** worker-media on the real database and broker, a media folder, and the events it announces. */
export interface WorkerWorld {
  env: TestEnvironment;
  worker: TestWorker<MediaWorkerConfig>;
  storage: ObjectStorage;
  /** The test's own pool (workers come and go). */
  orm: MikroORM;
  ownerId: string;
  /** `media.processed` payloads seen so far. */
  processed: Record<string, unknown>[];
  /** What the media service would have done for an upload: object, row, event. */
  seedUpload(bytes: Buffer, mime: string, kind: MediaKind, purpose?: MediaPurpose): Promise<string>;
  /**
   * An upload whose object is missing (so every attempt fails), its event delivered as the bus's
   * `attempt`-th try: the last one dead-letters it.
   */
  seedBrokenUpload(attempt: number): Promise<string>;
  /** Envelopes waiting in `media.dlq` (taken off it). */
  deadLettered(): Promise<{ payload: { mediaId?: string } }[]>;
  row(id: string): Promise<Media>;
  /** Starts the worker as its own process that halts mid-job, for a test to kill. */
  forkCrashingWorker(): ChildProcess;
  close(): Promise<void>;
}

export async function startWorkerWorld(): Promise<WorkerWorld> {
  const env = await createTestEnvironment();
  const folder = await mkdtemp(path.join(tmpdir(), 'worker-media-'));
  const storageEnv = {
    STORAGE_BACKEND: 'fs',
    STORAGE_DIR: path.join(folder, 'data'),
    MEDIA_MAX_IMAGE_PIXELS: '1000000',
  };
  const worker = await env.startWorker(
    'worker-media',
    (e) => loadConfig(mediaWorkerConfigSchema, e),
    (config, resources) => startMediaWorker(resources, config),
    storageEnv,
  );
  const storage = openStorage(worker.config);
  // The test's own pool and broker connection: it seeds and reads while workers come and go.
  const own = await openBaseResources('worker-media-test', worker.config);
  const { orm, bus } = own;
  const owner = await seedUser({ orm, tokens: env.tokens });

  const processed: Record<string, unknown>[] = [];
  const connection = await amqp.connect(worker.config.AMQP_URL);
  const channel = await connection.createChannel();
  const { queue } = await channel.assertQueue('', { exclusive: true });
  await channel.bindQueue(queue, namespaced(env.namespace, EXCHANGES.events), 'media.processed');
  await channel.consume(
    queue,
    (message) => {
      if (message)
        processed.push(
          (JSON.parse(message.content.toString()) as { payload: Record<string, unknown> }).payload,
        );
    },
    { noAck: true },
  );

  /** The row (and, given bytes, the object) the media service leaves for an upload. */
  async function seedRow(bytes: Buffer | null, mime: string, kind: MediaKind, purpose: MediaPurpose) {
    const id = randomUUID();
    if (bytes) await storage.put(storageKeys.original(id), Readable.from([bytes]), mime);
    return seedMedia({ orm }, owner.id, {
      id,
      purpose,
      kind,
      name: `upload.${mime.split('/')[1] ?? 'bin'}`,
      mime,
      size: bytes?.length ?? 1,
      storageKey: storageKeys.original(id),
    });
  }

  return {
    env,
    worker,
    storage,
    orm,
    ownerId: owner.id,
    processed,
    async seedUpload(bytes, mime, kind, purpose = 'attachment') {
      const id = await seedRow(bytes, mime, kind, purpose);
      await bus.publish(
        { exchange: EXCHANGES.events, routingKey: 'media.uploaded' },
        createEnvelope('media.uploaded', { userId: owner.id, mediaId: id, purpose, kind, mime }),
      );
      return id;
    },
    async seedBrokenUpload(attempt) {
      const id = await seedRow(null, 'image/png', 'image', 'attachment');
      const envelope = createEnvelope('media.uploaded', {
        userId: owner.id,
        mediaId: id,
        purpose: 'attachment',
        kind: 'image',
        mime: 'image/png',
      });
      // Straight to the broker: the bus's own publish never lets a caller set the attempt header.
      channel.publish(
        namespaced(env.namespace, EXCHANGES.events),
        'media.uploaded',
        Buffer.from(JSON.stringify(envelope)),
        { headers: { attempt }, messageId: envelope.id, contentType: 'application/json', persistent: true },
      );
      return id;
    },
    async deadLettered() {
      const taken: { payload: { mediaId?: string } }[] = [];
      const dlq = await connection.createChannel();
      try {
        for (;;) {
          const message = await dlq.get(namespaced(env.namespace, 'media.dlq'), { noAck: true });
          if (!message) return taken;
          taken.push(JSON.parse(message.content.toString()) as (typeof taken)[number]);
        }
      } finally {
        await dlq.close();
      }
    },
    async row(id) {
      return orm.em.fork().findOneOrFail(Media, { id });
    },
    forkCrashingWorker() {
      // Jest runs from the package folder (and compiles tests to CommonJS, without import.meta).
      const script = path.resolve('test/integration/crashing-worker.ts');
      return fork(script, [], {
        env: { ...process.env, ...env.env, ...storageEnv, PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'silent' },
        execArgv: ['--conditions=@platform/source', '--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
    },
    async close() {
      await connection.close().catch(() => undefined);
      await own.close();
      await env.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

const run = promisify(execFile);

/** A short clip made by ffmpeg itself: `video` is an MP4 test pattern, `audio` a WAV tone. */
export async function makeClip(kind: 'video' | 'audio', seconds: number): Promise<Buffer> {
  const folder = await mkdtemp(path.join(tmpdir(), 'clip-'));
  const file = path.join(folder, kind === 'video' ? 'clip.mp4' : 'clip.wav');
  const input =
    kind === 'video'
      ? [
          '-f',
          'lavfi',
          '-i',
          `testsrc=duration=${seconds}:size=160x120:rate=10`,
          '-pix_fmt',
          'yuv420p',
          '-movflags',
          '+faststart',
        ]
      : ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`];
  try {
    await run('ffmpeg', ['-v', 'error', ...input, file]);
    return await readFile(file);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
