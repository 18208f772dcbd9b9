import { mediaParams, mediaSchema, signedUrlQuery, thumbnailQuery, uploadForm } from './media.schemas.js';
import { route } from './route-contract.js';

const service = 'media';
const signedIn = { kind: 'signed-in' } as const;
/** `<img src>` sends no bearer token: the URLs the platform hands out carry `exp` and `sig` instead. */
const signedUrl = { kind: 'signed-in-or-signed-url' } as const;
const signedUrlNote =
  'The `url`/`thumbnailUrl` the platform returns are signed (`?exp=<unix seconds>&sig=<base64url>`) ' +
  'and work without a token until `exp`; a wrong or expired signature is the same 404 as a missing file.';
const bytes = { contentType: 'application/octet-stream' };

/**
 * The media service's routes. Who may read a medium (its owner; anyone signed in for an avatar; the
 * members of a conversation it is attached to) is the service's rule: anyone else gets the same 404
 * as for a missing one.
 */
export const MEDIA_ROUTES = [
  route({
    service,
    operationId: 'uploadMedia',
    method: 'post',
    path: '/media',
    access: signedIn,
    summary: 'Upload one file (multipart/form-data, field `file`); it is processed in the background',
    upload: uploadForm,
    success: { status: 201, description: 'Stored; `status` is `processing`', schema: mediaSchema },
    errors: [
      'bad_request',
      'type_mismatch',
      'file_too_large',
      'quota_exceeded',
      'unsupported_media_type',
      'validation_failed',
    ],
  }),
  route({
    service,
    operationId: 'getMedia',
    method: 'get',
    path: '/media/{id}',
    access: signedIn,
    summary: "A medium's metadata and status",
    params: mediaParams,
    success: { status: 200, description: 'The medium', schema: mediaSchema },
    errors: ['not_found'],
  }),
  route({
    service,
    operationId: 'getMediaContent',
    method: 'get',
    path: '/media/{id}/content',
    access: signedUrl,
    summary: 'The bytes (Range and If-None-Match understood); images without their metadata',
    description:
      'Anything but an image, audio or video is served as `Content-Disposition: attachment`; ' +
      'every answer carries `X-Content-Type-Options: nosniff` and a sandboxing CSP. ' +
      signedUrlNote,
    params: mediaParams,
    query: signedUrlQuery,
    success: { status: 200, description: 'The bytes', ...bytes },
    alternatives: [
      { status: 206, description: 'The requested range', ...bytes },
      { status: 304, description: 'Not modified (ETag)' },
    ],
    errors: ['not_found', 'range_not_satisfiable'],
  }),
  route({
    service,
    operationId: 'getMediaThumbnail',
    method: 'get',
    path: '/media/{id}/thumbnail',
    access: signedUrl,
    summary: "A still image's or video's thumbnail (an avatar's square crop); 404 until it is ready",
    description: signedUrlNote,
    params: mediaParams,
    query: thumbnailQuery,
    success: { status: 200, description: 'A WebP image', contentType: 'image/webp' },
    alternatives: [{ status: 304, description: 'Not modified (ETag)' }],
    errors: ['not_found'],
  }),
  route({
    service,
    operationId: 'deleteMedia',
    method: 'delete',
    path: '/media/{id}',
    access: signedIn,
    summary: 'Delete a medium (its owner, or an admin: audited)',
    params: mediaParams,
    success: { status: 204, description: 'Deleted' },
    errors: ['not_found'],
  }),
] as const;
