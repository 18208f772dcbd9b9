// Entry: validate config, start tracing, then load everything else (so instrumentation sees it).
import { loadConfigOrExit } from '@platform/config';
import { startTelemetry } from '@platform/observability';
import { graphqlConfigSchema } from './config.js';

const config = loadConfigOrExit(graphqlConfigSchema);
startTelemetry({ service: 'graphql', otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
const { main } = await import('./main.js');
await main(config);
