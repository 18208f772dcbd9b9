import { z } from 'zod';
import { positiveInt, storageFragment, workerFragment } from '@platform/config';

/** Everything worker-media reads from the environment, with defaults. */
export const mediaWorkerConfigSchema = z.object({
  ...workerFragment(3008, 9108),
  /** The same store as the media service's. */
  ...storageFragment,
  /** The most pixels an image may decode to (width x height): the decompression-bomb guard. */
  MEDIA_MAX_IMAGE_PIXELS: positiveInt(50_000_000),
  /** Uploads never attached to anything (a message, a profile) are deleted after this long. */
  MEDIA_UNATTACHED_TTL_SECONDS: positiveInt(24 * 3600),
  /** Files processed at once (the consumer's prefetch). */
  MEDIA_CONCURRENCY: positiveInt(2),
  /** Longest an ffmpeg or ffprobe run may take before it is killed. */
  MEDIA_FFMPEG_TIMEOUT_MS: positiveInt(120_000),
  /** The programs that read video and audio (Debian's `ffmpeg` package). */
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  FFPROBE_PATH: z.string().min(1).default('ffprobe'),
});

export type MediaWorkerConfig = z.infer<typeof mediaWorkerConfigSchema>;
