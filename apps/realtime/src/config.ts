import { z } from 'zod';
import {
  checkGrpcTls,
  checkJwtKeys,
  checkMediaUrlSecret,
  grpcServerFragment,
  jwtVerifyFragment,
  mediaUrlFragment,
  positiveInt,
  redisFragment,
  serviceIdentityFragment,
  usersCacheFragment,
  workerFragment,
} from '@platform/config';
import { MODERATION_ACTIONS } from '@platform/contracts';

/** `a.example, b.example` -> exact origins; empty means every origin is allowed. */
const originList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim().replace(/\/$/, ''))
      .filter((origin) => origin.length > 0),
  );

/** Everything the socket tier reads from the environment, with defaults. */
export const realtimeConfigSchema = z
  .object({
    /** PORT (3004) serves /ws, /notifications, /health and /ready; METRICS_PORT (9104) /metrics. */
    ...workerFragment(3004, 9104),
    ...redisFragment,
    ...jwtVerifyFragment,
    /** Chat for the other services (the GraphQL gateway): uWS speaks no HTTP/2, so its own port. */
    ...grpcServerFragment(50054),
    /** Attachments in chat frames carry signed URLs. */
    ...mediaUrlFragment,
    /**
     * users' gRPC port: account standing and display names (realtime never reads users' table). Called
     * with realtime's own identity, a service token signed with SERVICE_TOKEN_KEYS, which users trusts
     * through its GRPC_SERVICE_KEYS.
     */
    USERS_GRPC_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:50052'),
    ...serviceIdentityFragment,
    /** Every call to users (its retries included) ends within this. */
    GRPC_TIMEOUT_MS: positiveInt(3_000),
    /** Account standing and names from users, kept until an account event (0: ask every time, batched). */
    ...usersCacheFragment,
    /** Browser origins allowed to open a socket (comma list); requests without Origin are not browsers. */
    WS_ALLOWED_ORIGINS: originList,
    /** Larger frames close the socket (uWS `maxPayloadLength`). */
    WS_MAX_PAYLOAD_BYTES: positiveInt(16_384),
    /**
     * A socket silent this long is closed; uWS pings before that, so live clients stay. uWS terminates the
     * process on 1-7 or above 960 (its timer ticks every 4 s), so those are refused here instead.
     */
    WS_IDLE_TIMEOUT_SECONDS: z.coerce
      .number()
      .int()
      .refine((value) => value === 0 || (value >= 8 && value <= 960), 'must be 0 (off) or 8-960')
      .default(60),
    /** A socket with more than this waiting to be written is a slow consumer and gets closed. */
    WS_MAX_BACKPRESSURE_BYTES: positiveInt(1024 * 1024),
    /** Client frames per second per socket (token bucket, burst of the same size). */
    WS_MESSAGES_PER_SECOND: positiveInt(20),
    /**
     * Write-coalescing window in ms: 0 (off) writes every frame at once; above 0 a frame waits up to
     * this long so that a socket's frames meanwhile leave in one write (fewer system calls and TCP
     * segments per delivery at high fanout rates, for that much added latency).
     */
    WS_COALESCE_MS: z.coerce.number().int().min(0).max(1000).default(0),
    /** A user's presence outlives its last refresh by this much; refreshed every third of it. */
    PRESENCE_TTL_SECONDS: positiveInt(60),
    /**
     * While at most this many users are online, presence changes go to every socket (N online users
     * reconnecting cost about N²/2 frames); above it, only to the sockets watching that user (their
     * chat contacts, and explicit `presence.subscribe`). 0: always watchers only.
     */
    PRESENCE_BROADCAST_LIMIT: z.coerce.number().int().min(0).default(1000),
    /** Longest chat message, in code points (after cleaning; escaping does not count). */
    CHAT_MAX_TEXT_LENGTH: positiveInt(4000),
    /**
     * Members per group, owner included. At most 10 000: a group frame goes out as one `chat.frame` whose
     * audience lists every member, and the fanout payload allows 10 000 (`audienceSchema` in contracts).
     */
    CHAT_MAX_GROUP_MEMBERS: z.coerce.number().int().min(1).max(10_000).default(500),
    /** Typing frames a socket may send per second; extra ones are dropped without an error. */
    CHAT_TYPING_PER_SECOND: positiveInt(2),
    /**
     * What a conversation without its own action does with text the moderation provider flags: `mask`
     * (star the words), `hold` (a moderator approves it first), `refuse`, or `off`.
     */
    CHAT_MODERATION_ACTION: z.enum(MODERATION_ACTIONS).default('mask'),
    /** Messages older than this many days move to the archive (still read by history and search); 0: never. */
    CHAT_ARCHIVE_AFTER_DAYS: z.coerce.number().int().min(0).max(36_500).default(365),
    /** Messages moved per transaction: small batches keep each transaction's locks short. */
    CHAT_ARCHIVE_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1000),
    /** How often an instance starts an archive pass (only one instance archives at a time). */
    CHAT_ARCHIVE_INTERVAL_MINUTES: positiveInt(60),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV === 'production' && config.SERVICE_TOKEN_KEYS === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['SERVICE_TOKEN_KEYS'],
        message: 'is required in production: realtime asks users for accounts with its own identity',
      });
  })
  .superRefine(checkJwtKeys)
  .superRefine(checkGrpcTls)
  .superRefine(checkMediaUrlSecret);

export type RealtimeConfig = z.infer<typeof realtimeConfigSchema>;
