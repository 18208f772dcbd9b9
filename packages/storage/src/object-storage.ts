import type { Readable } from 'node:stream';

/** A byte range, both ends inclusive (as in an HTTP Range header). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where media bytes live. Keys are made by the server (`media/<id>/...`, `tmp/<uuid>`), never from a
 * user's file name. Two real implementations: the local filesystem and any S3-compatible store.
 */
export interface ObjectStorage {
  /** Writes `body` under `key`, streaming; rejects (and leaves nothing) if the stream errors. */
  put(key: string, body: Readable, contentType: string): Promise<void>;
  /** The object's bytes (or a range of them); rejects with `ObjectNotFoundError` when absent. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Renames an object: how a finished upload is promoted from its temporary key. */
  move(from: string, to: string): Promise<void>;
  /** Removes an object; absent is fine. */
  delete(key: string): Promise<void>;
  /** Every key under `prefix` (for purges and tests). */
  list(prefix: string): Promise<string[]>;
  /** The keys under `prefix` last written before `before`: what a crashed writer left. */
  listOlderThan(prefix: string, before: Date): Promise<string[]>;
  /** Throws when the store cannot be reached (readiness). */
  check(): Promise<void>;
}

/** The key asked for does not exist. */
export class ObjectNotFoundError extends Error {
  constructor(key: string) {
    super(`no object at ${key}`);
    this.name = 'ObjectNotFoundError';
  }
}

/** Server-made keys: a medium's files sit under its id; uploads in flight under `tmp/`. */
export const storageKeys = {
  temporary: (uploadId: string) => `tmp/${uploadId}`,
  original: (mediaId: string) => `media/${mediaId}/original`,
  /** An image's copy without metadata, orientation applied: what is served once it is ready. */
  clean: (mediaId: string) => `media/${mediaId}/clean`,
  thumbnail: (mediaId: string) => `media/${mediaId}/thumbnail.webp`,
  avatar: (mediaId: string, size: number) => `media/${mediaId}/avatar-${size}.webp`,
  folder: (mediaId: string) => `media/${mediaId}/`,
};
