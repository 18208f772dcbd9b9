export * from './config.js';
export * from './deliveries.js';
export * from './mailer.js';
export * from './templates/index.js';
export * from './worker.js';
