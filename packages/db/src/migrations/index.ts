import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122Chat } from './20261122-chat.js';
import { Migration20261122Identity } from './20261122-identity.js';
import { Migration20261122Messaging } from './20261122-messaging.js';
import { Migration20261122OAuth } from './20261122-oauth.js';
import { Migration20261122Realtime } from './20261122-realtime.js';
import { Migration20261122TwoFactor } from './20261122-two-factor.js';
import { Migration20261206AccountSecurity } from './20261206-account-security.js';
import { Migration20261206ChatArchive } from './20261206-chat-archive.js';
import { Migration20261206ChatModeration } from './20261206-chat-moderation.js';
import { Migration20261206TrustedDevices } from './20261206-trusted-devices.js';

/** The one migration history, in order. Listed explicitly so bundles and tests need no file globbing. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261122Identity', class: Migration20261122Identity },
  { name: 'Migration20261122Messaging', class: Migration20261122Messaging },
  { name: 'Migration20261122TwoFactor', class: Migration20261122TwoFactor },
  { name: 'Migration20261122OAuth', class: Migration20261122OAuth },
  { name: 'Migration20261122Realtime', class: Migration20261122Realtime },
  { name: 'Migration20261122Chat', class: Migration20261122Chat },
  { name: 'Migration20261206AccountSecurity', class: Migration20261206AccountSecurity },
  { name: 'Migration20261206TrustedDevices', class: Migration20261206TrustedDevices },
  { name: 'Migration20261206ChatModeration', class: Migration20261206ChatModeration },
  { name: 'Migration20261206ChatArchive', class: Migration20261206ChatArchive },
];
