// Entry: validate config, start tracing, then load everything else (so instrumentation sees it).
import { loadConfigOrExit } from '@platform/config';
import { startTelemetry } from '@platform/observability';
import { authConfigSchema } from './config.js';

const config = loadConfigOrExit(authConfigSchema);
// bcrypt runs on libuv's pool; give it room for the hashing slots plus DNS and file I/O.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, config.HASH_POOL_SIZE + 2));
startTelemetry({ service: 'auth', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
const { main } = await import('./main.js');
await main(config);
