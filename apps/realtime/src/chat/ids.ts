import { z } from 'zod';
import { GLOBAL_CHANNEL } from '@platform/contracts';
import { ChatError, type Target } from './chat.types.js';

/**
 * Any 8-4-4-4-12 hex id, in either case (what `z.guid()` accepts). Not RFC 9562 `z.uuid()`: that
 * refuses the global channel's fixed id (`...0001`, no version), which clients get in frames and lists.
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checked before any query, so a malformed id is "not found", never a database error. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** UUID_PATTERN for request and frame schemas. */
export const uuidSchema = z.string({ error: 'must be a uuid' }).regex(UUID_PATTERN, 'must be a uuid');

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
