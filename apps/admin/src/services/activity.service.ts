import type { Redis } from 'ioredis';
import {
  bucketMs,
  PRESENCE_ONLINE_KEY,
  SIGN_IN_ACTIONS,
  type SignInActivity,
  type SignInActivityQuery,
} from '@platform/contracts';
import type { EntityManager } from '@platform/db';

/** Default spans when the caller gives no `from`: a day of hours, a month of days. */
const DEFAULT_SPAN = { hour: 24, day: 30 } as const;

interface CountRow {
  /** The bucket's number since the epoch (its start is that times the width). */
  bucket: string | number;
  succeeded: string | number;
  failed: string | number;
}

/** Floors `ms` to the start of its bucket (UTC), so buckets line up with the SQL's date_trunc. */
function floorTo(ms: number, width: number): number {
  return Math.floor(ms / width) * width;
}

/**
 * What the admin console charts and polls: who is online now (Redis presence, as the summary counts it)
 * and sign-ins per hour or day, counted from the audit records auth writes (`login.succeeded`, and
 * `login.failed` / `login.2fa_failed` for failures), over the (action, occurred_at) index.
 */
export class ActivityService {
  constructor(
    private readonly em: EntityManager,
    private readonly redis: Redis,
  ) {}

  async onlineCount(now = new Date()): Promise<{ online: number; at: string }> {
    const online = await this.redis.zcount(PRESENCE_ONLINE_KEY, now.getTime(), '+inf');
    return { online, at: now.toISOString() };
  }

  async signIns(query: SignInActivityQuery, now = new Date()): Promise<SignInActivity> {
    const width = bucketMs(query.bucket);
    // The last bucket is the one `to` (or now) falls in, so the current hour or day is on the chart.
    const end = floorTo(query.to ? Date.parse(query.to) - 1 : now.getTime(), width) + width;
    const start = query.from
      ? floorTo(Date.parse(query.from), width)
      : end - DEFAULT_SPAN[query.bucket] * width;
    const { succeeded, failed } = SIGN_IN_ACTIONS;
    const rows = await this.em.getKnex().raw<{ rows: CountRow[] }>(
      // Epoch milliseconds divided by the width: UTC hours and days, the same buckets as floorTo.
      `select floor(extract(epoch from occurred_at) * 1000 / ?)::bigint as bucket,
              count(*) filter (where action = any(?)) as succeeded,
              count(*) filter (where action = any(?)) as failed
         from audit_logs
        where kind = 'audit' and action = any(?) and occurred_at >= ? and occurred_at < ?
        group by 1`,
      [
        width,
        [...succeeded],
        [...failed],
        [...succeeded, ...failed],
        new Date(start).toISOString(),
        new Date(end).toISOString(),
      ],
    );
    const counts = new Map<number, CountRow>();
    for (const row of rows.rows) counts.set(Number(row.bucket) * width, row);
    const points: SignInActivity['points'] = [];
    for (let at = start; at < end; at += width) {
      const row = counts.get(at);
      points.push({
        at: new Date(at).toISOString(),
        succeeded: Number(row?.succeeded ?? 0),
        failed: Number(row?.failed ?? 0),
      });
    }
    return {
      bucket: query.bucket,
      from: new Date(start).toISOString(),
      to: new Date(end).toISOString(),
      points,
    };
  }
}
