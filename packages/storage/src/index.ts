import { FsStorage } from './fs-storage.js';
import type { ObjectStorage } from './object-storage.js';
import { S3Storage, type S3Settings } from './s3-storage.js';

export * from './object-storage.js';
export { FsStorage } from './fs-storage.js';
export { S3Storage, type S3Settings } from './s3-storage.js';

/** The storage settings both media processes read (`storageFragment`). */
export interface StorageConfig {
  STORAGE_BACKEND: 'fs' | 's3';
  STORAGE_DIR: string;
  S3_BUCKET: string;
  S3_REGION: string;
  S3_ENDPOINT?: string | undefined;
  S3_FORCE_PATH_STYLE: boolean;
  S3_CREATE_BUCKET: boolean;
  S3_ACCESS_KEY_ID?: string | undefined;
  S3_SECRET_ACCESS_KEY?: string | undefined;
}

/** The backend the config names. */
export function openStorage(config: StorageConfig): ObjectStorage & { close?: () => void } {
  if (config.STORAGE_BACKEND === 'fs') return new FsStorage(config.STORAGE_DIR);
  const settings: S3Settings = {
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
    endpoint: config.S3_ENDPOINT,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    createBucket: config.S3_CREATE_BUCKET,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
  };
  return new S3Storage(settings);
}
