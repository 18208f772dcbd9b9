import { z } from 'zod';
import {
  checkJwtKeys,
  checkMediaUrlSecret,
  httpServiceFragment,
  mediaUrlFragment,
  positiveInt,
  storageFragment,
} from '@platform/config';

const MB = 1024 * 1024;

/** Everything the media service reads from the environment, with defaults. */
export const mediaConfigSchema = z
  .object({
    ...httpServiceFragment(3007, 9107),
    ...storageFragment,
    ...mediaUrlFragment,
    /** The largest file of each kind, in bytes; enforced while the upload streams. */
    MEDIA_MAX_IMAGE_BYTES: positiveInt(10 * MB),
    MEDIA_MAX_AUDIO_BYTES: positiveInt(20 * MB),
    MEDIA_MAX_VIDEO_BYTES: positiveInt(50 * MB),
    MEDIA_MAX_FILE_BYTES: positiveInt(25 * MB),
    /** What one user may store in all (live files), in bytes. */
    MEDIA_QUOTA_BYTES: positiveInt(1024 * MB),
    /** The most pixels an image may have (width x height): decompression bombs are refused. */
    MEDIA_MAX_IMAGE_PIXELS: positiveInt(50_000_000),
  })
  .superRefine(checkJwtKeys)
  .superRefine(checkMediaUrlSecret);

export type MediaConfig = z.infer<typeof mediaConfigSchema>;
