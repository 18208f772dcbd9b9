import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { MediaKind } from '@platform/contracts';
import { AppError } from '@platform/http';
import { sniff, SNIFF_BYTES, type Sniffed } from './sniff.js';

/** The largest file of each kind, in bytes. */
export type SizeLimits = Readonly<Record<MediaKind, number>>;

/**
 * Sits between the uploaded file and storage: holds back the first bytes until they say what the file
 * is (and `accept` agreed), then passes bytes through while counting and hashing them. The first byte
 * past the kind's limit fails the stream, so a file over the limit is never read whole.
 */
export class UploadGuard extends Transform {
  private head: Buffer[] = [];
  private headLength = 0;
  private readonly hash = createHash('sha256');
  private sniffed: Sniffed | null = null;
  size = 0;

  constructor(
    private readonly limits: SizeLimits,
    /** Called once with the sniffed type and the head; throws (or rejects) to refuse the file. */
    private readonly accept: (sniffed: Sniffed, head: Buffer) => void | Promise<void>,
    /** Bytes that passed, for the metrics. */
    private readonly onBytes: (count: number) => void = () => undefined,
  ) {
    super();
  }

  /** The sha256 of every byte that passed, in hex; call after the stream ended. */
  get sha256(): string {
    return this.hash.digest('hex');
  }

  get type(): Sniffed {
    if (!this.sniffed) throw new Error('the upload has not been sniffed yet');
    return this.sniffed;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.sniffed) return done(this.pass(chunk));
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength < SNIFF_BYTES) return done();
    this.decide().then(() => done(), done);
  }

  override _flush(done: TransformCallback): void {
    if (this.sniffed) return done();
    if (this.headLength === 0) return done(new AppError('bad_request', 'The file is empty.'));
    this.decide().then(() => done(), done);
  }

  private async decide(): Promise<void> {
    const head = Buffer.concat(this.head);
    this.head = [];
    this.sniffed = await sniff(head);
    await this.accept(this.sniffed, head);
    const error = this.pass(head);
    if (error) throw error;
  }

  private pass(chunk: Buffer): AppError | null {
    this.size += chunk.length;
    const kind = this.sniffed?.kind;
    const limit = kind && kind !== 'markup' ? this.limits[kind] : 0;
    if (this.size > limit)
      return new AppError('file_too_large', `A file of this kind may have at most ${limit} bytes.`);
    this.hash.update(chunk);
    this.onBytes(chunk.length);
    this.push(chunk);
    return null;
  }
}
