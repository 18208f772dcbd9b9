export * from './backoff.js';
export * from './bus.js';
export type { ConsumerHandle, Delivery, MessageHandler } from './consumer.js';
export * from './envelope.js';
export * from './errors.js';
export * from './retry-policy.js';
export * from './topology.js';
