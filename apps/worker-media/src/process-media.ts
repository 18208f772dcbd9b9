import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import type { MediaKind } from '@platform/contracts';
import { Media, type MikroORM } from '@platform/db';
import { storageKeys, type ObjectStorage } from '@platform/storage';
import { posterFrame, probe, UnreadableMediaError, type FfmpegSettings } from './ffmpeg.js';
import { avatarCrops, cleanImage, isBadImage, thumbnail } from './images.js';

/** What processing a medium found; `null` fields were not learnt. */
interface Findings {
  width?: number | null;
  height?: number | null;
  durationMs?: number | null;
  /** Objects written, by variant name. */
  variants: Record<string, string>;
  /** For images: the cleaned copy that replaces the original. */
  clean?: { key: string; bytes: Buffer; mime: string };
}

/** How a medium ended, for the `media.processed` event and the metrics. */
export interface Processed {
  mediaId: string;
  ownerId: string;
  name: string;
  kind: MediaKind;
  status: 'ready' | 'failed';
  reason?: string;
}

export interface ProcessorSettings {
  maxPixels: number;
  ffmpeg: FfmpegSettings;
  /** Test hook: runs after the objects are written and before the row says so (a crash lands here). */
  beforeCommit?: (mediaId: string) => Promise<void>;
}

/** A refusal a user should read: the file itself is bad, and trying again cannot help. */
class BadMediaError extends Error {}

/**
 * Turns an uploaded medium into a served one. Every object it writes has a key fixed by the medium's
 * id, so a job redone after a crash overwrites its own output instead of adding to it; the original
 * of an image (metadata and all) is deleted once the cleaned copy is recorded.
 */
export class MediaProcessor {
  constructor(
    private readonly orm: MikroORM,
    private readonly storage: ObjectStorage,
    private readonly settings: ProcessorSettings,
  ) {}

  /** Processes one medium; null when there is nothing to do (gone, or deleted). */
  async process(mediaId: string): Promise<Processed | null> {
    const em = this.orm.em.fork();
    const media = await em.findOne(Media, { id: mediaId });
    if (!media || media.deletedAt) return null;
    if (media.status !== 'processing') {
      // Done before (the ack was lost): finish the cleanup and say so again.
      await this.dropOriginal(media);
      return this.outcome(media);
    }
    try {
      const found = await this.examine(media);
      if (found.clean)
        await this.storage.put(found.clean.key, Readable.from([found.clean.bytes]), found.clean.mime);
      await this.settings.beforeCommit?.(media.id);
      if (found.clean) {
        media.storageKey = found.clean.key;
        media.mime = found.clean.mime;
        media.size = found.clean.bytes.length;
        media.sha256 = createHash('sha256').update(found.clean.bytes).digest('hex');
      }
      media.width = found.width ?? null;
      media.height = found.height ?? null;
      media.durationMs = found.durationMs ?? null;
      media.variants = found.variants;
      media.status = 'ready';
    } catch (error) {
      if (!(error instanceof BadMediaError)) throw error;
      media.status = 'failed';
      media.failureReason = error.message;
      await this.dropVariants(media.id);
    }
    media.processedAt = new Date();
    await em.flush();
    await this.dropOriginal(media);
    return this.outcome(media);
  }

  /**
   * The last attempt failed too (the job is being dead-lettered): the medium is `failed`, not left
   * `processing` for ever, and whatever the attempts wrote is removed. Null when it is gone or done.
   */
  async giveUp(mediaId: string): Promise<Processed | null> {
    const em = this.orm.em.fork();
    const media = await em.findOne(Media, { id: mediaId, status: 'processing', deletedAt: null });
    if (!media) return null;
    media.status = 'failed';
    media.failureReason = 'The file could not be processed.';
    media.processedAt = new Date();
    await em.flush();
    await this.dropVariants(media.id);
    await this.dropOriginal(media);
    return this.outcome(media);
  }

  private outcome(media: Media): Processed {
    return {
      mediaId: media.id,
      ownerId: media.ownerId,
      name: media.name,
      kind: media.kind,
      status: media.status === 'failed' ? 'failed' : 'ready',
      ...(media.failureReason ? { reason: media.failureReason } : {}),
    };
  }

  private async examine(media: Media): Promise<Findings> {
    if (media.kind === 'image') return this.image(media);
    if (media.kind === 'video' || media.kind === 'audio') return this.timed(media);
    return { variants: {} };
  }

  private async image(media: Media): Promise<Findings> {
    const { maxPixels } = this.settings;
    const original = await buffer(await this.storage.get(media.storageKey));
    let clean;
    try {
      clean = await cleanImage(original, media.mime, maxPixels);
    } catch (error) {
      if (!isBadImage(error)) throw error;
      const tooBig = error instanceof Error && /pixel limit/i.test(error.message);
      throw new BadMediaError(
        tooBig ? `The image has more than ${maxPixels} pixels.` : 'The image cannot be read.',
      );
    }
    const variants: Record<string, string> = {};
    if (media.purpose === 'avatar') {
      for (const [size, bytes] of await avatarCrops(clean.bytes, maxPixels)) {
        variants[`avatar-${size}`] = await this.write(storageKeys.avatar(media.id, size), bytes);
      }
    } else {
      variants.thumbnail = await this.write(
        storageKeys.thumbnail(media.id),
        await thumbnail(clean.bytes, maxPixels),
      );
    }
    return {
      width: clean.width,
      height: clean.height,
      variants,
      clean: { key: storageKeys.clean(media.id), bytes: clean.bytes, mime: clean.mime },
    };
  }

  /** Audio and video: duration (and a video's size and poster frame) from ffprobe and ffmpeg. */
  private async timed(media: Media): Promise<Findings> {
    const file = path.join(tmpdir(), `worker-media-${randomUUID()}`);
    try {
      await pipeline(await this.storage.get(media.storageKey), createWriteStream(file));
      const info = await probe(file, this.settings.ffmpeg);
      const variants: Record<string, string> = {};
      if (media.kind === 'video' && info.hasVideo) {
        const frame = await posterFrame(file, info.durationMs, this.settings.ffmpeg);
        variants.thumbnail = await this.write(
          storageKeys.thumbnail(media.id),
          await thumbnail(frame, this.settings.maxPixels),
        );
      }
      return { durationMs: info.durationMs, width: info.width, height: info.height, variants };
    } catch (error) {
      if (error instanceof UnreadableMediaError) throw new BadMediaError(`The ${media.kind} cannot be read.`);
      throw error;
    } finally {
      await rm(file, { force: true });
    }
  }

  private async write(key: string, bytes: Buffer): Promise<string> {
    await this.storage.put(key, Readable.from([bytes]), 'image/webp');
    return key;
  }

  /** An image's original (with its metadata) once a cleaned copy or a failure replaced it. */
  private async dropOriginal(media: Media): Promise<void> {
    const original = storageKeys.original(media.id);
    if (media.kind === 'image' && media.storageKey !== original) await this.storage.delete(original);
    if (media.kind === 'image' && media.status === 'failed') await this.storage.delete(original);
  }

  private async dropVariants(mediaId: string): Promise<void> {
    const keys = await this.storage.list(storageKeys.folder(mediaId));
    const original = storageKeys.original(mediaId);
    await Promise.all(keys.filter((key) => key !== original).map((key) => this.storage.delete(key)));
  }
}
