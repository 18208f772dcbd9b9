export * from './services.js';
export * from './tcp-proxy.js';
