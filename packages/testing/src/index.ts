export * from './environment.js';
export * from './http-client.js';
export * from './services.js';
