export * from './environment.js';
export * from './http-client.js';
export { backingServices, createTestDatabase, uniqueId } from '@platform/test-services';
export * from './factories.js';
export * from '@platform/mail-sink';
export * from './eventually.js';
export * from './promtool.js';
export * from './route-contracts.js';
export * from './s3-server.js';
