import type { ChildProcess } from 'node:child_process';
import { buffer } from 'node:stream/consumers';
import sharp from 'sharp';
import { storageKeys } from '@platform/storage';
import { checkMetrics, eventually } from '@platform/testkit';
import { purgeUnattached } from '../../src/purge.js';
import { startMediaWorker } from '../../src/worker.js';
import { makeClip, startWorkerWorld, type WorkerWorld } from './harness.js';

let world: WorkerWorld;

beforeAll(async () => {
  world = await startWorkerWorld();
});
afterAll(() => world.close());

/** A JPEG as a phone writes it: rotated by EXIF (orientation 6), with a GPS position. */
function phoneJpeg(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#c33' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'PhoneCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

const hasGpsPointer = (exif: Buffer | undefined) =>
  exif !== undefined &&
  (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88])));

async function processedRow(id: string) {
  await eventually(`media ${id} processed`, async () => (await world.row(id)).status !== 'processing');
  return world.row(id);
}

describe('worker-media on media.uploaded', () => {
  it('cleans a phone photo: upright, no EXIF or GPS anywhere, dimensions and a thumbnail recorded', async () => {
    const input = await phoneJpeg(120, 80);
    expect(hasGpsPointer((await sharp(input).metadata()).exif)).toBe(true);
    const id = await world.seedUpload(input, 'image/jpeg', 'image');
    const row = await processedRow(id);
    expect(row).toMatchObject({ status: 'ready', width: 80, height: 120, storageKey: storageKeys.clean(id) });
    expect(await world.storage.list(storageKeys.folder(id))).toEqual(
      [storageKeys.clean(id), storageKeys.thumbnail(id)].sort(),
    );
    for (const key of [row.storageKey, storageKeys.thumbnail(id)]) {
      const served = await buffer(await world.storage.get(key));
      const meta = await sharp(served).metadata();
      expect({ key, exif: meta.exif, orientation: meta.orientation }).toEqual({
        key,
        exif: undefined,
        orientation: undefined,
      });
      expect(served.includes(Buffer.from('PhoneCam'))).toBe(false);
    }
    expect(row.size).toBe((await buffer(await world.storage.get(row.storageKey))).length);
    await eventually('the media.processed event', () => world.processed.some((p) => p.mediaId === id));
    expect(world.processed.find((p) => p.mediaId === id)).toEqual({
      userId: world.ownerId,
      mediaId: id,
      name: row.name,
      status: 'ready',
    });
  });

  it("makes an avatar's square crops of 256 and 64 px", async () => {
    const id = await world.seedUpload(await phoneJpeg(300, 200), 'image/jpeg', 'image', 'avatar');
    const row = await processedRow(id);
    expect(Object.keys(row.variants).sort()).toEqual(['avatar-256', 'avatar-64']);
    for (const size of [256, 64]) {
      const crop = await sharp(
        await buffer(await world.storage.get(storageKeys.avatar(id, size))),
      ).metadata();
      expect([crop.width, crop.height, crop.format]).toEqual([size, size, 'webp']);
    }
  });

  it('refuses to decode a pixel flood and marks it failed, keeping none of it', async () => {
    const flood = await sharp({ create: { width: 1500, height: 1500, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const id = await world.seedUpload(flood, 'image/png', 'image');
    const row = await processedRow(id);
    expect(row).toMatchObject({ status: 'failed', failureReason: 'The image has more than 1000000 pixels.' });
    expect(await world.storage.list(storageKeys.folder(id))).toEqual([]);
    await eventually('the failure event', () =>
      world.processed.some((p) => p.mediaId === id && p.status === 'failed'),
    );
  });

  it("reads a video's duration and size and makes a poster thumbnail with ffmpeg", async () => {
    const id = await world.seedUpload(await makeClip('video', 2), 'video/mp4', 'video');
    const row = await processedRow(id);
    expect(row).toMatchObject({ status: 'ready', width: 160, height: 120 });
    expect(row.durationMs).toBeGreaterThanOrEqual(1900);
    const poster = await sharp(await buffer(await world.storage.get(storageKeys.thumbnail(id)))).metadata();
    expect([poster.format, poster.width, poster.height]).toEqual(['webp', 160, 120]);
  });

  it("reads an audio file's duration", async () => {
    const id = await world.seedUpload(await makeClip('audio', 1.5), 'audio/wav', 'audio');
    const row = await processedRow(id);
    expect(row.status).toBe('ready');
    expect(row.durationMs).toBeGreaterThanOrEqual(1400);
    expect(row.durationMs).toBeLessThanOrEqual(1600);
  });

  it('times processing by kind and outcome, in metrics promtool accepts', async () => {
    const text = await world.worker.resources.registry.metrics();
    expect(text).toMatch(/^media_processed_total\{[^}]*kind="image",outcome="ready"[^}]*\} [1-9]/m);
    expect(text).toMatch(
      /^media_processing_duration_seconds_count\{[^}]*kind="video",outcome="ready"[^}]*\} [1-9]/m,
    );
    await checkMetrics(text);
  });

  it('purges uploads never attached to anything after the TTL, and keeps attached ones', async () => {
    const [stale, attached] = await Promise.all([
      world.seedUpload(await phoneJpeg(30, 20), 'image/jpeg', 'image'),
      world.seedUpload(await phoneJpeg(30, 20), 'image/jpeg', 'image'),
    ]);
    await Promise.all([processedRow(stale), processedRow(attached)]);
    const em = world.orm.em.fork();
    await em.execute(`update media set created_at = now() - interval '2 days' where id in (?, ?)`, [
      stale,
      attached,
    ]);
    await em.execute(`update media set attached_at = now() where id = ?`, [attached]);
    expect(await purgeUnattached(world.orm, world.storage, 24 * 3600)).toBe(1);
    expect((await world.row(stale)).deletedAt).not.toBeNull();
    expect(await world.storage.list(storageKeys.folder(stale))).toEqual([]);
    expect((await world.row(attached)).deletedAt).toBeNull();
    expect(await world.storage.list(storageKeys.folder(attached))).not.toEqual([]);
  });

  it('redoes a job whose worker was killed mid-way, ending with one thumbnail and no original', async () => {
    // The in-process worker steps aside, so the crashing one takes the job.
    await world.worker.stop();
    const child: ChildProcess = world.forkCrashingWorker();
    try {
      await new Promise<void>((resolve, reject) => {
        child.on('message', (message: { started?: boolean }) => message.started && resolve());
        child.on('exit', (code) => reject(new Error(`the crashing worker exited with ${code}`)));
      });
      const id = await world.seedUpload(await phoneJpeg(90, 60), 'image/jpeg', 'image');
      await new Promise<void>((resolve) =>
        child.on('message', (m: { stuck?: string }) => m.stuck === id && resolve()),
      );
      expect(await world.storage.list(storageKeys.folder(id))).toContain(storageKeys.thumbnail(id));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      expect((await world.row(id)).status).toBe('processing');

      const again = await world.env.startWorker(
        'worker-media',
        () => world.worker.config,
        (config, resources) => startMediaWorker(resources, config),
      );
      try {
        const row = await processedRow(id);
        expect(row.status).toBe('ready');
        expect(await world.storage.list(storageKeys.folder(id))).toEqual(
          [storageKeys.clean(id), storageKeys.thumbnail(id)].sort(),
        );
      } finally {
        await again.stop();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
