export * from './access-tokens.js';
export * from './denylist.js';
export * from './denylist-mirror.js';
export * from './keys.js';
export * from './secret-box.js';
export * from './media-urls.js';
export * from './jws.js';
export * from './service-tokens.js';
