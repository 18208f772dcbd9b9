import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ObjectNotFoundError, type ByteRange, type ObjectStorage } from './object-storage.js';

/** Where the bucket is and how to reach it (the `S3_*` settings). */
export interface S3Settings {
  bucket: string;
  region: string;
  /** For S3-compatible stores (MinIO, Ceph, ...); unset: AWS. */
  endpoint?: string | undefined;
  forcePathStyle: boolean;
  /** Create the bucket on the first check when it is missing (dev stores). */
  createBucket?: boolean;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
}

/** 5 MiB parts, one in flight: an upload of any size holds about one part in memory. */
const PART_SIZE = 5 * 1024 * 1024;

/** Objects in an S3-compatible bucket; a stream of unknown length is sent as a multipart upload. */
export class S3Storage implements ObjectStorage {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly createBucket: boolean;

  constructor(settings: S3Settings) {
    this.bucket = settings.bucket;
    this.createBucket = settings.createBucket ?? false;
    this.client = new S3Client({
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(settings.accessKeyId && settings.secretAccessKey
        ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } }
        : {}),
      // Many S3-compatible stores do not understand the newer default checksum trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, body: Readable, contentType: string): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType },
      partSize: PART_SIZE,
      queueSize: 1,
      leavePartsOnError: false,
    });
    // A failed body stream must abort the multipart upload, not leave it hanging.
    const failed = new Promise<never>((_, reject) => body.once('error', reject));
    try {
      await Promise.race([upload.done(), failed]);
    } catch (error) {
      await upload.abort().catch(() => undefined);
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      // In Node the SDK's body is an http.IncomingMessage, a Readable.
      return answer.Body as Readable;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey')
        throw new ObjectNotFoundError(key);
      throw error;
    }
  }

  async move(from: string, to: string): Promise<void> {
    await this.client.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: to,
        CopySource: `${this.bucket}/${from.split('/').map(encodeURIComponent).join('/')}`,
      }),
    );
    await this.delete(from);
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.objects(prefix)).map((item) => item.key);
  }

  /**
   * By LastModified. An upload still streaming is a multipart upload, not yet an object, so it is
   * never listed; one a crash abandoned is the bucket's lifecycle rule's to abort (docs/architecture.md §13).
   */
  async listOlderThan(prefix: string, before: Date): Promise<string[]> {
    return (await this.objects(prefix)).filter((item) => item.modified < before).map((item) => item.key);
  }

  private async objects(prefix: string): Promise<{ key: string; modified: Date }[]> {
    const found: { key: string; modified: Date }[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const item of page.Contents ?? [])
        if (item.Key) found.push({ key: item.Key, modified: item.LastModified ?? new Date(0) });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      const missing = (error as { name?: string }).name === 'NotFound' || error instanceof NoSuchBucket;
      if (!missing || !this.createBucket) throw error;
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  close(): void {
    this.client.destroy();
  }
}
