export * from './route-contract.js';
export * from './common.schemas.js';
export * from './auth.schemas.js';
export * from './auth.routes.js';
export * from './account-security.routes.js';
export * from './oauth.routes.js';
export * from './users.routes.js';
export * from './admin.schemas.js';
export * from './audit-logs.schemas.js';
export * from './activity.schemas.js';
export * from './audit-cursor.js';
export * from './admin.routes.js';
export * from './realtime.schemas.js';
export * from './realtime.routes.js';
export * from './reference.routes.js';
export * from './openapi.js';

export * from './api-routes.js';
