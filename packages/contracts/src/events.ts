import { z } from 'zod';
import { chatFramePayloadSchema } from './chat.js';
import { sealedEmailSendSchema, type EmailSend } from './email.js';
import { MEDIA_KINDS, MEDIA_PURPOSES } from './media.js';
import { ROLES } from './roles.js';

/** Every message on the bus is an envelope; `type` selects the payload schema. */
export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().regex(/^[a-z]+(\.[a-z_]+)+$/),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
  payload: z.unknown(),
});
export type Envelope<P = unknown> = Omit<z.infer<typeof envelopeSchema>, 'payload'> & { payload: P };

const userRef = { userId: z.uuid() };

/** Payload schemas by event type (version 1). */
export const eventPayloads = {
  'user.registered': z.object({ ...userRef, email: z.email(), role: z.enum(ROLES), displayName: z.string() }),
  'user.logged_in': z.object({ ...userRef, sessionId: z.uuid(), displayName: z.string() }),
  'user.logged_out': z.object({ ...userRef, sessionId: z.uuid() }),
  'user.updated': z.object({ ...userRef, changes: z.array(z.string()) }),
  'user.deleted': z.object({ ...userRef, reason: z.enum(['self', 'admin']) }),
  'user.restored': z.object({ ...userRef }),
  'session.revoked': z.object({ ...userRef, sessionId: z.uuid(), reason: z.string() }),
  /** A file was stored; worker-media reads its metadata and makes its thumbnails. */
  'media.uploaded': z.object({
    ...userRef,
    mediaId: z.uuid(),
    purpose: z.enum(MEDIA_PURPOSES),
    kind: z.enum(MEDIA_KINDS),
    mime: z.string(),
  }),
  /** worker-media finished with a file; realtime tells its owner. */
  'media.processed': z.object({
    ...userRef,
    mediaId: z.uuid(),
    name: z.string(),
    status: z.enum(['ready', 'failed']),
    reason: z.string().optional(),
  }),
  /** Sealed: see email.ts. Services stage the clear `EmailSend`; their outbox seals it. */
  'email.send': sealedEmailSendSchema,
  'log.request': z.object({
    service: z.string(),
    requestId: z.string(),
    method: z.string(),
    path: z.string(),
    status: z.number().int(),
    ms: z.number(),
    userId: z.uuid().nullable(),
    ip: z.string(),
    userAgent: z.string().nullable(),
  }),
  'log.audit': z.object({
    service: z.string(),
    requestId: z.string().nullable(),
    action: z.string(),
    actorId: z.uuid().nullable(),
    targetId: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
  }),
} as const;

export type EventType = keyof typeof eventPayloads;
export type EventPayload<T extends EventType> = z.infer<(typeof eventPayloads)[T]>;
/** What a service hands its outbox: the payload, except `email.send`, which it gives in clear to be sealed. */
export type StagedPayload<T extends EventType> = T extends 'email.send' ? EmailSend : EventPayload<T>;

/** Parses an envelope and its payload; throws a ZodError on anything malformed. */
export function parseEnvelope<T extends EventType>(type: T, raw: unknown): Envelope<EventPayload<T>> {
  const envelope = envelopeSchema.parse(raw);
  if (envelope.type !== type) throw new Error(`expected ${type}, got ${envelope.type}`);
  return { ...envelope, payload: eventPayloads[type].parse(envelope.payload) as EventPayload<T> };
}

/**
 * Messages on the `notifications` and `chat` fanout exchanges, between realtime instances: each instance
 * binds a queue of its own to both, sees every message and acts on its local sockets only.
 */
export const fanoutPayloads = {
  /** A stored notification to push to the user's open sockets (`notification { id, event, message, at }`). */
  'notification.created': z.object({
    ...userRef,
    notificationId: z.uuid(),
    event: z.string(),
    message: z.string(),
    at: z.iso.datetime(),
  }),
  /** A session ended (logout, revocation): its sockets are closed with code 4001. */
  'session.ended': z.object({ ...userRef, sessionId: z.uuid(), reason: z.string() }),
  /** (`chat` exchange) A chat or presence frame for the sockets of an audience. */
  'chat.frame': chatFramePayloadSchema,
} as const;

export type FanoutType = keyof typeof fanoutPayloads;
export type FanoutPayload<T extends FanoutType> = z.infer<(typeof fanoutPayloads)[T]>;
