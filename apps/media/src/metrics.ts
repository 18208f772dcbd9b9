import { Counter, type Registry } from 'prom-client';

/** The media service's own metrics (processing duration and queue depth live in worker-media). */
export function mediaMetrics(registry: Registry) {
  return {
    bytesIn: new Counter({
      name: 'media_upload_bytes_total',
      help: 'Bytes of uploaded files that passed the type check (refused files stop counting when refused)',
      registers: [registry],
    }),
    uploads: new Counter({
      name: 'media_uploads_total',
      help: 'Upload requests by outcome (stored, or the error code that refused them, or aborted)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}

export type MediaMetrics = ReturnType<typeof mediaMetrics>;
