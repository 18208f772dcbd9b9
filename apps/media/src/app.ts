import { mediaUrlSignerOf } from '@platform/config';
import { mount, type HttpApp } from '@platform/http';
import { createServiceApp, type ServiceResources } from '@platform/runtime';
import { openStorage, type ObjectStorage } from '@platform/storage';
import type { MediaConfig } from './config.js';
import { mediaMetrics } from './metrics.js';
import { mediaRoutes } from './routes/media.routes.js';
import { MediaService } from './services/media.service.js';
import type { SizeLimits } from './services/upload-guard.js';

export interface MediaDeps extends ServiceResources {
  config: MediaConfig;
  /** The config's backend unless a test hands one in. */
  storage?: ObjectStorage;
}

/** The per-kind size limits from the config. */
export function sizeLimitsOf(config: MediaConfig): SizeLimits {
  return {
    image: config.MEDIA_MAX_IMAGE_BYTES,
    audio: config.MEDIA_MAX_AUDIO_BYTES,
    video: config.MEDIA_MAX_VIDEO_BYTES,
    file: config.MEDIA_MAX_FILE_BYTES,
  };
}

/** The media service: uploads, their bytes and thumbnails. Never listens itself. */
export function createApp(deps: MediaDeps): HttpApp {
  const { config } = deps;
  const storage = deps.storage ?? openStorage(config);
  deps.readiness.storage = () => storage.check();
  const app = createServiceApp(deps, config);
  const signer = mediaUrlSignerOf(config);
  if (!config.MEDIA_URL_SECRET)
    deps.log.warn('MEDIA_URL_SECRET is unset: media URLs are signed with an INSECURE dev secret');
  const media = new MediaService(deps.orm.em, deps.events, storage, {
    quotaBytes: config.MEDIA_QUOTA_BYTES,
    signer,
  });
  mount(
    app,
    ...mediaRoutes({
      media,
      storage,
      limits: sizeLimitsOf(config),
      maxImagePixels: config.MEDIA_MAX_IMAGE_PIXELS,
      metrics: mediaMetrics(deps.registry),
      signer,
    }),
  );
  return app;
}
