import { mediaUrls, type MediaUrlSigning, type MediaView } from '@platform/contracts';
import type { Media } from '../entities/media.entity.js';

/** A medium as the API shows it, its URLs signed by `signer`. */
export function toMediaView(
  media: Pick<
    Media,
    | 'id'
    | 'name'
    | 'mime'
    | 'size'
    | 'sha256'
    | 'purpose'
    | 'status'
    | 'failureReason'
    | 'width'
    | 'height'
    | 'durationMs'
    | 'variants'
    | 'createdAt'
  >,
  signer: MediaUrlSigning,
): MediaView {
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
    ...mediaUrls(media.id, media.variants.thumbnail !== undefined, signer),
    createdAt: media.createdAt.toISOString(),
  };
}

/** A row of `media` as raw SQL returns it (snake_case; bigint as text), for readers without the ORM. */
export interface MediaRow {
  id: string;
  owner_id: string;
  purpose: Media['purpose'];
  kind: Media['kind'];
  name: string;
  mime: string;
  size: string | number;
  sha256: string;
  status: Media['status'];
  failure_reason: string | null;
  width: number | null;
  height: number | null;
  duration_ms: number | null;
  variants: Record<string, string>;
  created_at: string | Date;
}

/** The columns of a MediaRow, over `media md`. */
export const MEDIA_COLUMNS =
  'md.id, md.owner_id, md.purpose, md.kind, md.name, md.mime, md.size, md.sha256, md.status, md.failure_reason, ' +
  'md.width, md.height, md.duration_ms, md.variants, md.created_at';

/** The API's view of a raw `media` row (chat attachments). */
export function mediaRowView(row: MediaRow, signer: MediaUrlSigning): MediaView {
  return toMediaView(
    {
      id: row.id,
      name: row.name,
      mime: row.mime,
      size: Number(row.size),
      sha256: row.sha256,
      purpose: row.purpose,
      status: row.status,
      failureReason: row.failure_reason,
      width: row.width,
      height: row.height,
      durationMs: row.duration_ms,
      variants: row.variants,
      createdAt: new Date(row.created_at),
    },
    signer,
  );
}
