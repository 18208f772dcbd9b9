/** What an upload is for: it decides the allowed types and who may read it. */
export const MEDIA_PURPOSES = ['attachment', 'avatar'] as const;
export type MediaPurpose = (typeof MEDIA_PURPOSES)[number];

/** `processing` until the worker made the thumbnail and metadata; then `ready` or `failed`. */
export const MEDIA_STATUSES = ['processing', 'ready', 'failed'] as const;
export type MediaStatus = (typeof MEDIA_STATUSES)[number];

/** The kinds the size limits and the worker's work are chosen by. */
export const MEDIA_KINDS = ['image', 'audio', 'video', 'file'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** Every type we accept, by sniffed MIME type, with its kind. Anything else is 415. */
export const MEDIA_TYPES: Readonly<Record<string, MediaKind>> = {
  'image/jpeg': 'image',
  'image/png': 'image',
  'image/webp': 'image',
  'image/gif': 'image',
  'image/avif': 'image',
  'image/heic': 'image',
  'audio/mpeg': 'audio',
  'audio/ogg': 'audio',
  'audio/opus': 'audio',
  'audio/mp4': 'audio',
  'audio/x-m4a': 'audio',
  'audio/wav': 'audio',
  'audio/x-wav': 'audio',
  'video/mp4': 'video',
  'video/webm': 'video',
  'application/pdf': 'file',
  'text/plain': 'file',
  'application/zip': 'file',
};

/** Types an avatar may have: images sharp decodes. */
export const AVATAR_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/avif',
  'image/heic',
];

/** The sizes of an avatar's square crops (px); the first is the default `thumbnail`. */
export const AVATAR_SIZES = [256, 64] as const;
/** The longest side of an attachment's thumbnail (px). */
export const THUMBNAIL_SIZE = 320;

/** Signs a media path for clients (`MediaUrlSigner` in @platform/tokens; servers only). */
export interface MediaUrlSigning {
  sign(path: string): string;
}

/**
 * A stored avatar URL as clients get it: our own media path (set from an upload) signed, an external
 * https:// URL (set by the user) as is.
 */
export function avatarUrlFor(stored: string | null, signer: MediaUrlSigning): string | null {
  return stored?.startsWith('/media/') ? signer.sign(stored) : stored;
}

/** The unsigned paths of a medium's bytes and thumbnail, as the edge serves them (what is stored). */
export function mediaPaths(id: string): { content: string; thumbnail: string } {
  return { content: `/media/${id}/content`, thumbnail: `/media/${id}/thumbnail` };
}

/**
 * Where a client reads a medium's bytes and thumbnail: the paths, signed
 * (`?exp=<unix s>&sig=<base64url>`), so a browser's `<img src>` works without a bearer token.
 */
export function mediaUrls(
  id: string,
  hasThumbnail: boolean,
  signer: MediaUrlSigning,
): { url: string; thumbnailUrl?: string } {
  const paths = mediaPaths(id);
  return {
    url: signer.sign(paths.content),
    ...(hasThumbnail ? { thumbnailUrl: signer.sign(paths.thumbnail) } : {}),
  };
}
