export * from './batcher.js';
export * from './config.js';
export * from './rows.js';
export * from './store.js';
export * from './worker.js';
