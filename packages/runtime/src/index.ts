export type * from './config.js';
export * from './event-sink.js';
export * from './resources.js';
export * from './run.js';
export * from './service-app.js';
