import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import amqp from 'amqplib';
import sharp from 'sharp';
import { EXCHANGES, namespaced } from '@platform/contracts';
import { eventually, seedUser, type SeededUser } from '@platform/testkit';
import { startMediaWorld, upload, type MediaWorld } from './harness.js';

/** A JPEG as a phone writes it: landscape pixels turned upright by EXIF (orientation 6), with GPS. */
const phoneJpeg = () =>
  sharp({ create: { width: 1200, height: 800, channels: 3, background: '#c33' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'PhoneCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
    .withMetadata({ orientation: 6 })
    .toBuffer();

/**
 * The whole path of a photo over real HTTP and the real broker: the media service takes the upload,
 * worker-media (its real entry point, as its own process) processes it and announces it, and the
 * signed thumbnail URL serves a clean WebP to a client without a token.
 */
describe('an uploaded photo, end to end', () => {
  let world: MediaWorld;
  let alice: SeededUser;
  let worker: ChildProcess;
  let events: amqp.ChannelModel;
  const processed: { mediaId?: string; status?: string }[] = [];

  beforeAll(async () => {
    world = await startMediaWorld('fs');
    alice = await seedUser({ orm: world.media.resources.orm, tokens: world.env.tokens });
    // Jest runs from the package folder; the worker runs from its sources like the crash test's worker.
    worker = fork(path.resolve('../worker-media/src/index.ts'), [], {
      env: {
        ...process.env,
        ...world.env.env,
        STORAGE_BACKEND: 'fs',
        STORAGE_DIR: world.media.config.STORAGE_DIR,
        PORT: '0',
        METRICS_PORT: '0',
        LOG_LEVEL: 'silent',
      },
      execArgv: ['--conditions=@platform/source', '--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    events = await amqp.connect(world.media.config.AMQP_URL);
    const channel = await events.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, namespaced(world.env.namespace, EXCHANGES.events), 'media.processed');
    await channel.consume(
      queue,
      (message) => {
        if (message) processed.push((JSON.parse(message.content.toString()) as { payload: object }).payload);
      },
      { noAck: true },
    );
  });
  afterAll(async () => {
    worker.kill('SIGTERM');
    await events.close();
    await world.close();
  });

  it('is announced ready, and its signed thumbnail is an upright WebP of 320 px without EXIF', async () => {
    const res = await upload(world.media.url, alice.accessToken, {
      bytes: await phoneJpeg(),
      name: 'IMG_1.jpg',
    });
    expect(res.status).toBe(201);
    const id = String(res.body.id);
    await eventually('media.processed for the upload', () => processed.some((p) => p.mediaId === id), 30_000);
    expect(processed.find((p) => p.mediaId === id)).toMatchObject({ status: 'ready' });

    const meta = await fetch(`${world.media.url}/media/${id}`, {
      headers: { authorization: `Bearer ${alice.accessToken}` },
    });
    const body = (await meta.json()) as {
      status: string;
      width: number;
      height: number;
      thumbnailUrl: string;
      url: string;
    };
    expect(body).toMatchObject({ status: 'ready', width: 800, height: 1200 });
    expect(body.thumbnailUrl).toMatch(new RegExp(`^/media/${id}/thumbnail\\?exp=\\d+&sig=`));

    const thumb = await fetch(`${world.media.url}${body.thumbnailUrl}`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    const bytes = Buffer.from(await thumb.arrayBuffer());
    const info = await sharp(bytes).metadata();
    expect({ format: info.format, width: info.width, height: info.height, exif: info.exif }).toEqual({
      format: 'webp',
      width: 213,
      height: 320,
      exif: undefined,
    });
    const photo = Buffer.from(await (await fetch(`${world.media.url}${body.url}`)).arrayBuffer());
    for (const served of [bytes, photo]) expect(served.includes(Buffer.from('PhoneCam'))).toBe(false);
    expect((await sharp(photo).metadata()).exif).toBeUndefined();
  });
});
