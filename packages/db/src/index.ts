export * from './admin.js';
export * from './entities/refresh-token.entity.js';
export * from './entities/session.entity.js';
export * from './entities/user.entity.js';
export * from './orm.js';
export * from './public-user.js';
export { migrationsList } from './migrations/index.js';
export { EntityManager } from '@mikro-orm/postgresql';
export { RequestContext, UniqueConstraintViolationException, NotFoundError } from '@mikro-orm/core';
