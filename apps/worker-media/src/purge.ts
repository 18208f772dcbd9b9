import { Media, type MikroORM } from '@platform/db';
import { storageKeys, type ObjectStorage } from '@platform/storage';

/** Where uploads stream before they become media (`storageKeys.temporary`). */
const TMP_PREFIX = 'tmp/';

/** Uploads looked at per run; the next run takes the rest. */
const BATCH = 200;

/**
 * Deletes uploads that were never attached to anything (a chat message, a profile) within `ttlSeconds`:
 * the row is marked deleted first (so nothing serves it), then its objects are removed. Safe to run on
 * several replicas at once: both mark the same rows and delete the same keys.
 */
export async function purgeUnattached(
  orm: MikroORM,
  storage: ObjectStorage,
  ttlSeconds: number,
): Promise<number> {
  const em = orm.em.fork();
  const cutoff = new Date(Date.now() - ttlSeconds * 1000);
  const stale = await em.find(
    Media,
    { attachedAt: null, deletedAt: null, createdAt: { $lt: cutoff } },
    { limit: BATCH, orderBy: { createdAt: 'asc' } },
  );
  if (stale.length === 0) return 0;
  const now = new Date();
  for (const media of stale) media.deletedAt = now;
  await em.flush();
  for (const media of stale) {
    const keys = await storage.list(storageKeys.folder(media.id));
    await Promise.all(keys.map((key) => storage.delete(key)));
  }
  return stale.length;
}

/**
 * Deletes temporary objects (`tmp/`, where uploads stream before they are promoted) that nothing has
 * written for `idleSeconds`: what a media process left when it died mid-upload. A live upload keeps
 * writing, so it is never this old; one that stalls that long has failed anyway.
 */
export async function purgeAbandonedUploads(storage: ObjectStorage, idleSeconds: number): Promise<number> {
  const stale = await storage.listOlderThan(TMP_PREFIX, new Date(Date.now() - idleSeconds * 1000));
  for (const key of stale) await storage.delete(key);
  return stale.length;
}
