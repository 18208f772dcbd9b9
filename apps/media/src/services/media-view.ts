import { mediaUrls, type MediaView } from '@platform/contracts';
import type { Media } from '@platform/db';

/** A medium as the API shows it. */
export function toMediaView(media: Media): MediaView {
  return {
    id: media.id,
    name: media.name,
    mime: media.mime,
    size: media.size,
    sha256: media.sha256,
    purpose: media.purpose,
    status: media.status,
    ...(media.failureReason ? { failureReason: media.failureReason } : {}),
    ...(media.width ? { width: media.width } : {}),
    ...(media.height ? { height: media.height } : {}),
    ...(media.durationMs !== null ? { durationMs: media.durationMs } : {}),
    ...mediaUrls(media.id, media.variants.thumbnail !== undefined),
    createdAt: media.createdAt.toISOString(),
  };
}
