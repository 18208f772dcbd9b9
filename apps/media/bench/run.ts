// pnpm bench (apps/media): upload throughput, the media process's RSS while four 50 MB uploads stream
// at once, and worker-media's thumbnails per second. Prints a table and rewrites the media section
// of docs/benchmarks.md.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import {
  announceMachine,
  freePort,
  isolatedEnvironment,
  rssMiB,
  startChild,
  textTable,
  writeDocSection,
  type RunningChild,
} from '@platform/benchkit';
import { createOrm, type MikroORM } from '@platform/db';
import { seedUser } from '@platform/testkit';
import { mediaSection, resultRows, type MediaResults } from './doc.js';
import { sampleRss, streamUpload } from './uploads.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const workerDir = fileURLToPath(new URL('../../worker-media', import.meta.url));
const docPath = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));
const MiB = 1024 * 1024;

const THROUGHPUT = { files: 8, fileMiB: 20 };
const MEMORY = { uploads: 4, fileMiB: 50 };
const IMAGES = { images: 40, width: 1600, height: 1200, concurrency: 2 };

async function main(): Promise<void> {
  const machine = await announceMachine('media bench');
  const environment = await isolatedEnvironment();
  const folder = await mkdtemp(path.join(tmpdir(), 'media-bench-'));
  const children: RunningChild[] = [];
  const orm = await createOrm({ url: environment.env.DATABASE_URL ?? '', poolMax: 2 });
  try {
    const env: Record<string, string> = {
      ...environment.env,
      NODE_ENV: 'production', // as in infra/k8s/base/config/common.env
      LOG_LEVEL: 'warn',
      MEDIA_URL_SECRET: randomBytes(32).toString('base64url'),
      STORAGE_BACKEND: 'fs',
      STORAGE_DIR: path.join(folder, 'data'),
      MEDIA_MAX_FILE_BYTES: String(64 * MiB),
      MEDIA_QUOTA_BYTES: String(100 * 1024 * MiB),
      RATE_LIMIT_PER_MINUTE: '1000000000',
      MEDIA_CONCURRENCY: String(IMAGES.concurrency),
    };
    const port = await freePort();
    const media = await startChild({
      name: 'media',
      args: ['dist/index.js'],
      cwd: appDir,
      env: { ...env, PORT: String(port), METRICS_PORT: String(await freePort()) },
      readyUrl: `http://127.0.0.1:${port}/ready`,
    });
    children.push(media);
    const baseUrl = `http://127.0.0.1:${port}`;
    const { accessToken } = await seedUser({ orm, tokens: environment.tokens });
    const upload = async (bytes: number, name: string) => {
      const status = await streamUpload(baseUrl, accessToken, bytes, name);
      if (status !== 201) throw new Error(`upload ${name} answered ${status}`);
    };

    // First, on a fresh process (one small upload loaded the code paths), so the growth is the uploads'.
    await upload(MiB, 'warm-up.txt');
    console.log(`memory: ${MEMORY.uploads} uploads of ${MEMORY.fileMiB} MiB at once...`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idleMiB = rssMiB(media.pid) ?? 0;
    const sampler = sampleRss(media.pid);
    let started = performance.now();
    await Promise.all(
      Array.from({ length: MEMORY.uploads }, (_, i) => upload(MEMORY.fileMiB * MiB, `m${i}.txt`)),
    );
    const memory = {
      ...MEMORY,
      idleMiB,
      peakMiB: sampler.stop(),
      seconds: (performance.now() - started) / 1000,
    };

    console.log(`throughput: ${THROUGHPUT.files} uploads of ${THROUGHPUT.fileMiB} MiB...`);
    started = performance.now();
    for (let i = 0; i < THROUGHPUT.files; i++) await upload(THROUGHPUT.fileMiB * MiB, `t${i}.txt`);
    const throughput = { ...THROUGHPUT, seconds: (performance.now() - started) / 1000 };

    console.log(`thumbnails: ${IMAGES.images} JPEGs of ${IMAGES.width}x${IMAGES.height}...`);
    children.push(await startWorker(env));
    await untilNothingProcessing(orm); // the text files above: nothing to make, cleared first
    const thumbnails = { ...IMAGES, seconds: await timeThumbnails(baseUrl, accessToken, orm) };

    const results: MediaResults = { machine, throughput, memory, thumbnails };
    console.log(`\n${textTable(resultRows(results))}\n`);
    writeDocSection(docPath, 'media', mediaSection(results));
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await orm.close(true);
    await environment.close();
    await rm(folder, { recursive: true, force: true });
  }
}

/** worker-media from its build, on the same database, broker and folder. */
async function startWorker(env: Record<string, string>): Promise<RunningChild> {
  const port = await freePort();
  return startChild({
    name: 'worker-media',
    args: ['dist/index.js'],
    cwd: workerDir,
    env: { ...env, PORT: String(port), METRICS_PORT: String(await freePort()) },
    readyUrl: `http://127.0.0.1:${port}/ready`,
  });
}

/** Seconds from the first image upload until the worker has made every thumbnail. */
async function timeThumbnails(baseUrl: string, token: string, orm: MikroORM): Promise<number> {
  // Noise, so the JPEG is as costly to decode and shrink as a photo (a flat colour is not).
  const pixels = randomBytes(IMAGES.width * IMAGES.height * 3);
  const jpeg = await sharp(pixels, { raw: { width: IMAGES.width, height: IMAGES.height, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
  const form = () => {
    const body = new FormData();
    body.append('file', new Blob([jpeg], { type: 'image/jpeg' }), 'photo.jpg');
    return body;
  };
  const started = performance.now();
  for (let i = 0; i < IMAGES.images; i++) {
    const res = await fetch(`${baseUrl}/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form(),
    });
    if (res.status !== 201) throw new Error(`image upload answered ${res.status}: ${await res.text()}`);
  }
  await untilNothingProcessing(orm);
  const [row] = await orm.em
    .fork()
    .execute<{ n: string }[]>(
      `select count(*)::text as n from media where kind = 'image' and status = 'ready'`,
    );
  if (Number(row?.n) !== IMAGES.images)
    throw new Error(`only ${row?.n ?? 0} of ${IMAGES.images} images are ready`);
  return (performance.now() - started) / 1000;
}

async function untilNothingProcessing(orm: MikroORM): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const [row] = await orm.em
      .fork()
      .execute<{ n: string }[]>(`select count(*)::text as n from media where status = 'processing'`);
    if (Number(row?.n) === 0) return;
    if (Date.now() > deadline) throw new Error(`${row?.n ?? '?'} media still processing after 10 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

await main();
