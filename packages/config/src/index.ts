export * from './fragments.js';
export * from './load.js';
export * from './print.js';
