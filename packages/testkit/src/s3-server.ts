// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- s3rver has no types, and the packages that compile this file from source must see its declaration
/// <reference path="./s3rver.d.ts" />
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rverModule from 's3rver';

/** The part of s3rver (untyped) that tests use. */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

/** A real S3-compatible server on a loopback port, with one empty bucket, for one test file. */
export interface TestS3Server {
  endpoint: string;
  bucket: string;
  /** The `S3_*` settings that point a service at it. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts s3rver (an S3 implementation from the registry) on an ephemeral port with a fresh bucket. */
export async function startS3Server(bucket = 'test-media'): Promise<TestS3Server> {
  const directory = await mkdtemp(path.join(tmpdir(), 's3rver-'));
  // The package has no types; its constructor is all we need.
  const S3rver = S3rverModule as S3rverConstructor;
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    env: {
      STORAGE_BACKEND: 's3',
      S3_BUCKET: bucket,
      S3_REGION: 'us-east-1',
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      // s3rver's fixed development credentials.
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    },
    async close() {
      server.httpServer?.closeAllConnections();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
