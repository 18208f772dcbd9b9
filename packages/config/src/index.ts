export * from './fragments.js';
export * from './load.js';
