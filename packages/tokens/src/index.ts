export * from './access-tokens.js';
export * from './denylist.js';
