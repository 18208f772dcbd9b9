import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { startS3Server, type TestS3Server } from '@platform/testkit';
import { FsStorage, ObjectNotFoundError, S3Storage, type ObjectStorage } from '../../src/index.js';

let s3: TestS3Server;
let folder: string;
const backends: Record<string, () => ObjectStorage> = {};

beforeAll(async () => {
  s3 = await startS3Server();
  folder = await mkdtemp(path.join(tmpdir(), 'fs-storage-'));
  backends.fs = () => new FsStorage(path.join(folder, 'data'));
  backends.s3 = () =>
    new S3Storage({
      bucket: s3.bucket,
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    });
});
afterAll(async () => {
  await s3.close();
  await rm(folder, { recursive: true, force: true });
});

describe.each(['fs', 's3'])('the %s storage backend', (backend) => {
  const open = () => backends[backend]?.() ?? new FsStorage('unused');

  it('stores a stream, reads it back whole and by range, moves and deletes it', async () => {
    const storage = open();
    await storage.check();
    const body = 'x'.repeat(6 * 1024 * 1024) + 'tail';
    await storage.put('tmp/a', Readable.from([Buffer.from(body)]), 'text/plain');
    expect(await text(await storage.get('tmp/a'))).toBe(body);
    expect(await text(await storage.get('tmp/a', { start: body.length - 4, end: body.length - 1 }))).toBe(
      'tail',
    );
    await storage.move('tmp/a', 'media/1/original');
    expect(await storage.list('')).toEqual(['media/1/original']);
    await storage.delete('media/1/original');
    await storage.delete('media/1/original');
    expect(await storage.list('')).toEqual([]);
  });

  it('leaves nothing behind when the stream fails midway', async () => {
    const storage = open();
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1024 * 1024));
        this.destroy(new Error('cut'));
      },
    });
    await expect(storage.put('tmp/b', failing, 'application/octet-stream')).rejects.toThrow();
    expect(await storage.list('')).toEqual([]);
  });

  it('lists the objects under a prefix written before a time, for the purge of abandoned uploads', async () => {
    const storage = open();
    await storage.put('tmp/left', Readable.from([Buffer.from('x')]), 'text/plain');
    await storage.put('media/2/original', Readable.from([Buffer.from('y')]), 'text/plain');
    expect(await storage.listOlderThan('tmp/', new Date(Date.now() + 60_000))).toEqual(['tmp/left']);
    expect(await storage.listOlderThan('tmp/', new Date(Date.now() - 60_000))).toEqual([]);
    await storage.delete('tmp/left');
    await storage.delete('media/2/original');
  });

  it('says when an object is missing', async () => {
    await expect(open().get('media/none')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });
});

describe('S3Storage.check', () => {
  it('creates a missing bucket only when told to', async () => {
    const settings = {
      bucket: 'made-by-check',
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    };
    await expect(new S3Storage(settings).check()).rejects.toThrow();
    await new S3Storage({ ...settings, createBucket: true }).check();
    await new S3Storage(settings).check();
  });
});
