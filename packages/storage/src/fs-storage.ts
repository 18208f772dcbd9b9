import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ObjectNotFoundError, type ByteRange, type ObjectStorage } from './object-storage.js';

const SAFE_KEY = /^[a-z0-9][a-z0-9./-]*$/i;

/**
 * Objects as files under one root folder (created on first use). A write goes to a `.part` file that
 * is renamed when complete, so a reader never sees half an object.
 */
export class FsStorage implements ObjectStorage {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    if (!SAFE_KEY.test(key) || key.split('/').includes('..')) throw new Error(`unsafe storage key ${key}`);
    return path.join(this.root, key);
  }

  async put(key: string, body: Readable): Promise<void> {
    const file = this.pathOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    const part = `${file}.${process.pid}.${Date.now()}.part`;
    try {
      await pipeline(body, createWriteStream(part));
      await rename(part, file);
    } catch (error) {
      await rm(part, { force: true });
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(key);
    await stat(file).catch(() => {
      throw new ObjectNotFoundError(key);
    });
    return createReadStream(file, range ? { start: range.start, end: range.end } : {});
  }

  async move(from: string, to: string): Promise<void> {
    const target = this.pathOf(to);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(this.pathOf(from), target);
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** Keys include the `.part` files of writes in flight (or abandoned by a crash). */
  async list(prefix: string): Promise<string[]> {
    const entries = await readdir(this.root, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) =>
        path.relative(this.root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
      )
      .filter((key) => key.startsWith(prefix))
      .sort();
  }

  /** By modification time: a write in flight keeps touching its `.part` file. */
  async listOlderThan(prefix: string, before: Date): Promise<string[]> {
    const keys = await this.list(prefix);
    const old = await Promise.all(
      keys.map(async (key) => {
        const info = await stat(this.pathOf(key)).catch(() => null);
        return info !== null && info.mtime < before;
      }),
    );
    return keys.filter((_, i) => old[i]);
  }

  async check(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }
}
