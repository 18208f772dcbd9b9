export * from './environment.js';
export * from './http-client.js';
export { backingServices, createTestDatabase, uniqueId } from '@platform/testing';
export * from './factories.js';
export * from './mail-sink.js';
export * from './eventually.js';
export * from './promtool.js';
