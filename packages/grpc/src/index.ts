export * from './auth.js';
export * from './backoff.js';
export * from './client.js';
export * from './errors.js';
export * from './health.js';
export * from './metrics.js';
export * from './server.js';
export * from './tls.js';
