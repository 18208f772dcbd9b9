import type { Context } from 'koa';
import { byOperationId, MEDIA_ROUTES, mediaPaths } from '@platform/contracts';
import {
  AppError,
  auditContext,
  authenticatedRouter,
  Errors,
  handle,
  publicRouter,
  type AuthState,
  type BaseState,
  type Router,
} from '@platform/http';
import type { ObjectStorage } from '@platform/storage';
import type { MediaUrlSigner } from '@platform/tokens';
import type { MediaMetrics } from '../metrics.js';
import type { MediaService, Reader, ServedBytes } from '../services/media.service.js';
import { receiveUpload, UploadAbortedError } from '../services/receive-upload.js';
import type { SizeLimits } from '../services/upload-guard.js';

export interface MediaRoutesDeps {
  media: MediaService;
  storage: ObjectStorage;
  limits: SizeLimits;
  maxImagePixels: number;
  metrics: MediaMetrics;
  signer: MediaUrlSigner;
}

const api = byOperationId(MEDIA_ROUTES);

function send(ctx: Context, served: ServedBytes): void {
  ctx.status = served.status;
  if (served.body) ctx.body = served.body;
  ctx.set(served.headers);
}

/**
 * Who reads: a valid signature opens the path it was made for; without one, the bearer token's
 * caller. A signature that is there but wrong or expired is the 404 of an unreadable medium (it
 * tells nothing about the id); neither a token nor a signature is a 401 as on every other route.
 */
function readerOf(
  ctx: Context & { state: BaseState },
  signer: MediaUrlSigner,
  path: string,
  query: { exp?: string | undefined; sig?: string | undefined },
): Reader {
  const signed = query.exp !== undefined || query.sig !== undefined;
  if (signed && signer.verify(path, { exp: Number(query.exp), sig: query.sig })) return { signedUrl: true };
  if (ctx.state.user) return { claims: ctx.state.user };
  if (signed) throw Errors.notFound('No such file.');
  throw Errors.unauthorized('unauthorized', 'A bearer token or a signed URL is required.');
}

/** Upload, read and delete media; who may read what is the service's rule. */
export function mediaRoutes(deps: MediaRoutesDeps): [Router<AuthState>, Router<BaseState>] {
  return [signedInRoutes(deps), byteRoutes(deps)];
}

function signedInRoutes({
  media,
  storage,
  limits,
  maxImagePixels,
  metrics,
}: MediaRoutesDeps): Router<AuthState> {
  const router = authenticatedRouter();

  handle(router, api.uploadMedia, async (ctx) => {
    try {
      const received = await receiveUpload(ctx.req, {
        storage,
        limits,
        maxImagePixels,
        onBytes: (n) => metrics.bytesIn.inc(n),
      });
      ctx.body = await media.create(ctx.state.user.sub, received);
      ctx.status = 201;
      metrics.uploads.inc({ outcome: 'stored' });
    } catch (error) {
      if (error instanceof UploadAbortedError) {
        metrics.uploads.inc({ outcome: 'aborted' });
        // Nobody is listening any more; the problem only closes the request (and its log line) cleanly.
        throw new AppError('bad_request', 'The upload was cut short.');
      }
      metrics.uploads.inc({ outcome: error instanceof AppError ? error.code : 'error' });
      // The client may still be sending; closing after the answer frees the connection.
      ctx.set('Connection', 'close');
      throw error;
    }
  });

  handle(router, api.getMedia, async (ctx, { params }) => {
    ctx.body = await media.get(ctx.state.user, params.id);
  });

  handle(router, api.deleteMedia, async (ctx, { params }) => {
    await media.delete(ctx.state.user, params.id, auditContext('media', ctx));
    ctx.status = 204;
  });

  return router;
}

/** The bytes, for a signed-in caller or a signed URL (`<img src>`, `<video>`, a download link). */
function byteRoutes({ media, signer }: MediaRoutesDeps): Router<BaseState> {
  const router = publicRouter();

  handle(router, api.getMediaContent, async (ctx, { params, query }) => {
    const request = {
      range: ctx.get('range') || undefined,
      ifNoneMatch: ctx.get('if-none-match') || undefined,
    };
    const reader = readerOf(ctx, signer, mediaPaths(params.id).content, query);
    send(ctx, await media.content(reader, params.id, request));
  });

  handle(router, api.getMediaThumbnail, async (ctx, { params, query }) => {
    const size = query.size === undefined ? undefined : Number(query.size);
    const reader = readerOf(ctx, signer, mediaPaths(params.id).thumbnail, query);
    send(ctx, await media.thumbnail(reader, params.id, size, ctx.get('if-none-match') || undefined));
  });

  return router;
}
