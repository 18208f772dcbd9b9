import { z } from 'zod';
import { isoTime } from './common.schemas.js';

/** The audit actions that count as a sign-in and as a failed one (auth writes them: login.service.ts). */
export const SIGN_IN_ACTIONS = {
  succeeded: ['login.succeeded'],
  failed: ['login.failed', 'login.2fa_failed'],
} as const;

/** Widths of a bucket of GET /admin/activity/sign-ins. */
export const ACTIVITY_BUCKETS = ['hour', 'day'] as const;
export type ActivityBucket = (typeof ACTIVITY_BUCKETS)[number];

/** At most this many buckets per answer: a month of hours, or two years of days. */
export const MAX_ACTIVITY_BUCKETS = 744;

const BUCKET_MS: Record<ActivityBucket, number> = { hour: 3_600_000, day: 86_400_000 };

/** The width of a bucket in milliseconds. */
export function bucketMs(bucket: ActivityBucket): number {
  return BUCKET_MS[bucket];
}

/**
 * Query of GET /admin/activity/sign-ins. `from` is inclusive, `to` exclusive; both default to the last
 * 24 hours (hour buckets) or 30 days (day buckets) before now.
 */
export const signInActivityQuery = z
  .strictObject({
    bucket: z.enum(ACTIVITY_BUCKETS).default('hour'),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .refine(({ from, to }) => !from || !to || Date.parse(from) < Date.parse(to), {
    message: '`from` must be before `to`.',
    path: ['from'],
  })
  .refine(
    ({ bucket, from, to }) =>
      !from ||
      (Date.parse(to ?? new Date().toISOString()) - Date.parse(from)) / BUCKET_MS[bucket] <=
        MAX_ACTIVITY_BUCKETS,
    { message: `At most ${MAX_ACTIVITY_BUCKETS} buckets per request.`, path: ['from'] },
  );

export type SignInActivityQuery = z.infer<typeof signInActivityQuery>;

export const signInActivitySchema = z.object({
  bucket: z.enum(ACTIVITY_BUCKETS),
  from: isoTime.describe('Start of the first bucket (UTC, aligned to the bucket)'),
  to: isoTime.describe('End of the last bucket, exclusive'),
  points: z
    .array(
      z.object({
        at: isoTime.describe('Start of the bucket'),
        succeeded: z.number().int(),
        failed: z.number().int(),
      }),
    )
    .describe('Every bucket from `from` to `to`, oldest first, empty ones as zeros'),
});

export type SignInActivity = z.infer<typeof signInActivitySchema>;

export const onlineCountSchema = z.object({
  online: z.number().int().describe('Users with a live socket now'),
  at: isoTime,
});
