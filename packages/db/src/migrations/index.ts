import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122Identity } from './20261122-identity.js';

/** The one migration history, in order. Listed explicitly so bundles and tests need no file globbing. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261122Identity', class: Migration20261122Identity },
];
