import { z } from 'zod';
import { MEDIA_PURPOSES, MEDIA_STATUSES } from '../media.js';
import { isoTime } from './common.schemas.js';

/** A stored upload as its readers see it (`POST /media`, `GET /media/:id`, chat attachments). */
export const mediaSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  mime: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  purpose: z.enum(MEDIA_PURPOSES),
  status: z.enum(MEDIA_STATUSES),
  /** Why processing failed, with `status: failed`. */
  failureReason: z.string().optional(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  durationMs: z.number().int().nonnegative().optional(),
  url: z.string(),
  thumbnailUrl: z.string().optional(),
  createdAt: isoTime,
});
export type MediaView = z.infer<typeof mediaSchema>;

export const mediaParams = z.strictObject({ id: z.uuid() });

/** The signature of a signed media URL; checked by the media service (a bad one is a 404, not a 400). */
const signature = {
  exp: z.string().max(20).optional().meta({ description: 'Expiry of a signed URL (unix seconds)' }),
  sig: z.string().max(100).optional().meta({ description: 'Signature of a signed URL (base64url)' }),
};

export const signedUrlQuery = z.strictObject(signature);

export const thumbnailQuery = z.strictObject({
  /** An avatar's crop: 256 (default) or 64 px. Attachments have one thumbnail size. */
  size: z.enum(['64', '256']).optional(),
  ...signature,
});

/** The multipart form of `POST /media` (documented; the route streams it itself). */
export const uploadForm = z.object({
  file: z.string().meta({ format: 'binary', description: 'Exactly one file; its content decides its type' }),
  purpose: z.enum(MEDIA_PURPOSES).optional().meta({ description: '`attachment` (default) or `avatar`' }),
});
