export * from './account-tokens.js';
export type * from './events.js';
export * from './public-user.js';
export * from './sessions.queries.js';
export * from './users.queries.js';
export * from './verification-mail.js';
export * from './trusted-devices.queries.js';
