import { z } from 'zod';
import { GLOBAL_CHANNEL } from '@platform/contracts';
import type { Target } from '../chat/chat.types.js';
import { HANDLE_PATTERN, uuidSchema } from '../chat/ids.js';
import type { FrameErrorCode, ServerFrame } from './frames.js';

/**
 * A conversation id as frames carry it: any 8-4-4-4-12 id (`uuidSchema`), not `z.uuid()`, which refuses
 * the global channel's fixed id (`...0001`, no RFC 9562 version) that clients get in the snapshot, acks
 * and messages.
 */
const conversationId = z.union([z.literal(GLOBAL_CHANNEL), uuidSchema]);
/**
 * Where a frame points, as docs/api.md has it: `channel` (`global` or a group id) or `to` (a user, for a
 * direct conversation), or a `conversationId` from an earlier frame; none of them means `global`.
 */
const where = {
  channel: z.union([z.literal(GLOBAL_CHANNEL), z.uuid()]).optional(),
  to: z.uuid().optional(),
  conversationId: conversationId.optional(),
};
const oneTarget = (value: { channel?: unknown; to?: unknown; conversationId?: unknown }) =>
  [value.channel, value.to, value.conversationId].filter((part) => part !== undefined).length <= 1;
const TARGET_MESSAGE = { message: 'give at most one of channel, to and conversationId' };

/** A client-chosen id that makes a resend idempotent (a uuid, a ulid, a counter with a prefix...). */
const clientId = z.string().regex(HANDLE_PATTERN, 'clientId: 1-64 of letters, digits, _ . : -');
const messageId = z.uuid();

/** Files one message may carry. */
export const MAX_ATTACHMENTS = 10;

/** Conversations one `chat.sync` may name; a client with more sends several. */
export const SYNC_MAX_CONVERSATIONS = 50;

/** Client frames by type (docs/api.md, WebSocket frames); gRPC calls are held to the same schemas. */
export const clientFrameSchemas = {
  ping: z.object({}),
  'chat.send': z
    .object({
      ...where,
      text: z.string(),
      clientId,
      attachments: z.array(z.uuid()).max(MAX_ATTACHMENTS).optional(),
    })
    .refine(oneTarget, TARGET_MESSAGE),
  typing: z.object({ ...where, on: z.boolean() }).refine(oneTarget, TARGET_MESSAGE),
  'message.read': z.object({ id: messageId }),
  'message.edit': z.object({ id: messageId, text: z.string() }),
  'message.delete': z.object({ id: messageId }),
  reaction: z.object({ id: messageId, emoji: z.string().max(64), on: z.boolean() }),
  'chat.history': z
    .object({
      ...where,
      before: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(50).optional(),
    })
    .refine(oneTarget, TARGET_MESSAGE),
  'chat.sync': z.object({
    conversations: z
      .array(
        z.object({
          id: conversationId,
          after: z.number().int().min(0),
        }),
      )
      .max(SYNC_MAX_CONVERSATIONS),
  }),
  'presence.subscribe': z.object({ userIds: z.array(z.uuid()).min(1).max(100) }),
  'presence.unsubscribe': z.object({ userIds: z.array(z.uuid()).min(1).max(100) }),
} as const;

export type ClientFrameType = keyof typeof clientFrameSchemas;
type Parsed<T extends ClientFrameType> = z.infer<(typeof clientFrameSchemas)[T]> & { type: T };
/** A client frame that passed parsing, discriminated by `type`. */
export type ClientMessage = { [T in ClientFrameType]: Parsed<T> }[ClientFrameType];

/** What to do with one client frame: act on a message, or answer with an error. */
export type ParsedFrame =
  | { ok: true; message: ClientMessage }
  | { ok: false; label: string; error: Extract<ServerFrame, { type: 'error' }> };

const fail = (label: string, code: FrameErrorCode, detail: string, ref?: string): ParsedFrame => ({
  ok: false,
  label,
  error: ref === undefined ? { type: 'error', code, detail } : { type: 'error', code, detail, ref },
});

function isKnownType(type: string): type is ClientFrameType {
  return Object.hasOwn(clientFrameSchemas, type);
}

/**
 * The request's own handle, echoed as `ref` on its errors: `clientId` of a send, else the message id;
 * only when it has the shape of one (HANDLE_PATTERN), so an error never carries arbitrary client text.
 */
export function refOf(frame: object): string | undefined {
  const { clientId, id } = frame as { clientId?: unknown; id?: unknown };
  const ref = clientId ?? id;
  return typeof ref === 'string' && HANDLE_PATTERN.test(ref) ? ref : undefined;
}

/**
 * Parses a frame without ever throwing: whatever a client sends costs it an `error` frame, never the
 * process or anyone else's socket. `label` names the frame for metrics from a fixed set (a client must
 * not be able to create label values).
 */
export function parseClientFrame(data: ArrayBuffer, isBinary: boolean): ParsedFrame {
  if (isBinary) return fail('binary', 'bad_json', 'Binary frames are not accepted; send JSON text.');
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return fail('bad_json', 'bad_json', 'The frame is not valid JSON.');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail('invalid', 'validation_failed', 'A frame must be a JSON object with a string `type`.');
  }
  const record = raw as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string') {
    return fail('invalid', 'validation_failed', 'A frame must be a JSON object with a string `type`.');
  }
  if (!isKnownType(type)) return fail('unknown', 'unknown_type', 'Unknown message type.');
  const parsed = clientFrameSchemas[type].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return fail('invalid', 'validation_failed', `${path}${issue?.message ?? 'invalid frame'}`, refOf(record));
  }
  return { ok: true, message: { ...parsed.data, type } as ClientMessage };
}

/** The conversation a frame points at (see `where`). */
export function targetOf(frame: { channel?: string; to?: string; conversationId?: string }): Target {
  if (frame.to !== undefined) return { kind: 'direct', userId: frame.to };
  if (frame.conversationId !== undefined && frame.conversationId !== GLOBAL_CHANNEL) {
    return { kind: 'conversation', conversationId: frame.conversationId };
  }
  if (frame.channel !== undefined && frame.channel !== GLOBAL_CHANNEL) {
    return { kind: 'group', groupId: frame.channel };
  }
  return { kind: 'global' };
}
