import { createOrm } from '@platform/db';
import { seedUser } from '@platform/testkit';
import type { AccessTokens } from '@platform/tokens';
import type { RealtimeConfig } from '../src/config.js';

/**
 * `count` users, each with a live session and an access token signed with the service's keys (what a
 * login leaves behind), so that every socket is a different user, as in production.
 */
export async function seedTokens(
  config: RealtimeConfig,
  tokens: AccessTokens,
  count: number,
): Promise<{ tokens: string[]; from: string }> {
  const orm = await createOrm({ url: config.DATABASE_URL, poolMax: 4 });
  try {
    const seeded: string[] = [];
    let from = '';
    let next = 0;
    const worker = async () => {
      while (next < count) {
        next += 1;
        const user = await seedUser({ orm, tokens });
        from ||= user.id;
        seeded.push(user.accessToken);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    return { tokens: seeded, from };
  } finally {
    await orm.close(true);
  }
}
