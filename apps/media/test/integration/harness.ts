import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { loadConfig } from '@platform/config';
import { namespaced } from '@platform/contracts';
import { Media } from '@platform/db';
import type { HttpApp } from '@platform/http';
import { openStorage, type ObjectStorage } from '@platform/storage';
import {
  createTestEnvironment,
  startS3Server,
  type TestEnvironment,
  type TestS3Server,
  type TestService,
} from '@platform/testkit';
import { createApp } from '../../src/app.js';
import { mediaConfigSchema, type MediaConfig } from '../../src/config.js';

/** Small limits, so "one byte over" costs nothing; the pixel limit is 1 MP. */
export const LIMITS = {
  MEDIA_MAX_IMAGE_BYTES: '300000',
  MEDIA_MAX_AUDIO_BYTES: '300000',
  MEDIA_MAX_VIDEO_BYTES: '300000',
  MEDIA_MAX_FILE_BYTES: '200000',
  MEDIA_QUOTA_BYTES: '1000000',
  MEDIA_MAX_IMAGE_PIXELS: '1000000',
};

export interface MediaWorld {
  env: TestEnvironment;
  media: TestService<MediaConfig>;
  app: HttpApp;
  storage: ObjectStorage;
  /** Live and deleted rows of the media table. */
  rows(): Promise<Media[]>;
  close(): Promise<void>;
}

/** The media service on the real database and broker, over the filesystem or a real S3 server. */
export async function startMediaWorld(backend: 'fs' | 's3'): Promise<MediaWorld> {
  const env = await createTestEnvironment();
  let s3: TestS3Server | undefined;
  let folder: string | undefined;
  let storageEnv: Record<string, string>;
  if (backend === 's3') {
    s3 = await startS3Server();
    storageEnv = s3.env;
  } else {
    folder = await mkdtemp(path.join(tmpdir(), 'media-'));
    storageEnv = { STORAGE_BACKEND: 'fs', STORAGE_DIR: path.join(folder, 'data') };
  }
  let app: HttpApp | undefined;
  const media = await env.start(
    'media',
    (e) => loadConfig(mediaConfigSchema, e),
    (config, r) => (app = createApp({ ...r, config })),
    { ...LIMITS, ...storageEnv },
  );
  const storage = openStorage(media.config);
  if (!app) throw new Error('the app was not built');
  return {
    env,
    media,
    app,
    storage,
    rows: () => media.resources.orm.em.fork().find(Media, {}),
    async close() {
      await env.close();
      await s3?.close();
      if (folder) await rm(folder, { recursive: true, force: true });
    },
  };
}

/** Uploads one file as a browser form would. */
export async function upload(
  baseUrl: string,
  token: string,
  file: { bytes: Uint8Array; name: string; type?: string },
  fields: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name);
  const res = await fetch(`${baseUrl}/media`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/**
 * Starts a multipart upload that announces `declared` bytes, sends `sent` of them, then cuts the
 * connection, as a client whose network dropped would. Resolves once the socket is closed.
 */
export async function cutUpload(baseUrl: string, token: string, sent: number): Promise<void> {
  const boundary = 'cut-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n` +
      'Content-Type: text/plain\r\n\r\n',
  );
  const url = new URL('/media', baseUrl);
  await new Promise<void>((resolve) => {
    const req = httpRequest(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + sent * 2),
      },
    });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.write(head);
    req.write(Buffer.alloc(sent, 'a'), () => setTimeout(() => req.destroy(), 100));
  });
}

/** Envelopes waiting in a work queue of the test's namespace (taken off it), after `until` holds. */
export async function takeFromQueue(
  world: MediaWorld,
  queue: string,
  until: (envelopes: { type: string; payload: Record<string, unknown> }[]) => boolean,
): Promise<{ type: string; payload: Record<string, unknown> }[]> {
  const connection = await amqp.connect(world.media.config.AMQP_URL);
  const taken: { type: string; payload: Record<string, unknown> }[] = [];
  try {
    const channel = await connection.createChannel();
    const deadline = Date.now() + 10_000;
    while (!until(taken) && Date.now() < deadline) {
      const message = await channel.get(namespaced(world.env.namespace, queue), { noAck: true });
      if (message) taken.push(JSON.parse(message.content.toString()) as (typeof taken)[number]);
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await connection.close();
  }
  return taken;
}
