import { GLOBAL_CHANNEL, UUID_PATTERN } from '@platform/contracts';
import { ChatError, type Target } from './chat.types.js';

// UUID_PATTERN and uuidSchema (any 8-4-4-4-12 id, so the global channel's fixed id passes) are in the
// API contract, shared with the REST schemas; re-exported for the frame schemas and services.
export { UUID_PATTERN, uuidSchema } from '@platform/contracts';

/** Checked before any query, so a malformed id is "not found", never a database error. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/**
 * A client-chosen request handle (`clientId`: a uuid, a ulid, a counter with a prefix...). Only values
 * of this shape are echoed back as an error's `ref`, never arbitrary client text.
 */
export const HANDLE_PATTERN = /^[\w.:-]{1,64}$/;

/** A conversation named by id (a frame's or a path's): `global`, or a uuid; anything else is `not_found`. */
export function conversationTarget(id: string | undefined): Target {
  if (id === GLOBAL_CHANNEL) return { kind: 'global' };
  if (!isUuid(id)) throw new ChatError('not_found', 'No such conversation.');
  return { kind: 'conversation', conversationId: id };
}
