export * from './bounded-cache.js';
export * from './user-cache.js';
export * from './user-change-feed.js';
