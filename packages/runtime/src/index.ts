export type * from './config.js';
export * from './outbox/index.js';
export * from './resources.js';
export * from './run.js';
export * from './service-app.js';
export * from './worker.js';
export * from './grpc.js';
export * from './shutdown.js';
export * from './gateway.js';
