export * from './backoff.js';
export * from './bus.js';
export type {
  BusOptions,
  ConsumeOptions,
  PublishOptions,
  PublishTarget,
  SubscriptionHandle,
} from './bus-options.js';
export type { ConsumerHandle, Delivery, MessageHandler } from './consumer.js';
export * from './envelope.js';
export * from './errors.js';
export * from './retry-policy.js';
export * from './topology.js';
export { DEAD_LETTER_HEADERS } from './consumer.js';
export type { BusGaugeSource, ConsumeOutcome } from './metrics.js';
export * from './tracing.js';
export { subscriptionDeadLetterQueueName, type SubscriptionSpec } from './subscription.js';
