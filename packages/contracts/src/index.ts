export * from './claims.js';
export * from './events.js';
export * from './roles.js';
export * from './routes.js';
export * from './topology.js';
export * from './users.js';
export * from './email.js';
export * from './lockout.js';
