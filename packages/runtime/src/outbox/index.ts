export * from './event-sink.js';
export * from './mail-seal.js';
export * from './relay.js';
export * from './request-log-shipper.js';
export * from './routing.js';
