import type { Context } from 'koa';
import { byOperationId, MEDIA_ROUTES } from '@platform/contracts';
import {
  AppError,
  auditContext,
  authenticatedRouter,
  handle,
  type AuthState,
  type Router,
} from '@platform/http';
import type { ObjectStorage } from '@platform/storage';
import type { MediaMetrics } from '../metrics.js';
import type { MediaService, ServedBytes } from '../services/media.service.js';
import { receiveUpload, UploadAbortedError } from '../services/receive-upload.js';
import type { SizeLimits } from '../services/upload-guard.js';

export interface MediaRoutesDeps {
  media: MediaService;
  storage: ObjectStorage;
  limits: SizeLimits;
  maxImagePixels: number;
  metrics: MediaMetrics;
}

const api = byOperationId(MEDIA_ROUTES);

function send(ctx: Context, served: ServedBytes): void {
  ctx.status = served.status;
  if (served.body) ctx.body = served.body;
  ctx.set(served.headers);
}

/** Upload, read and delete media; who may read what is the service's rule. */
export function mediaRoutes({
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

  handle(router, api.getMediaContent, async (ctx, { params }) => {
    const request = {
      range: ctx.get('range') || undefined,
      ifNoneMatch: ctx.get('if-none-match') || undefined,
    };
    send(ctx, await media.content(ctx.state.user, params.id, request));
  });

  handle(router, api.getMediaThumbnail, async (ctx, { params, query }) => {
    const size = query.size === undefined ? undefined : Number(query.size);
    send(ctx, await media.thumbnail(ctx.state.user, params.id, size, ctx.get('if-none-match') || undefined));
  });

  handle(router, api.deleteMedia, async (ctx, { params }) => {
    await media.delete(ctx.state.user, params.id, auditContext('media', ctx));
    ctx.status = 204;
  });

  return router;
}
