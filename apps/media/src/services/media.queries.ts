import { Media, type EntityManager } from '@platform/db';

/** The queries over the `media` table. */
export const mediaQueries = {
  /** A medium that is not deleted, or null. */
  findLive(em: EntityManager, id: string): Promise<Media | null> {
    return em.findOne(Media, { id, deletedAt: null });
  },

  /** Bytes an owner stores in live media (the quota counts these). */
  async liveBytesOf(em: EntityManager, ownerId: string): Promise<number> {
    const rows = await em.execute<{ total: string | null }[]>(
      'select coalesce(sum(size), 0)::text as total from media where owner_id = ? and deleted_at is null',
      [ownerId],
    );
    return Number(rows[0]?.total ?? 0);
  },

  /** Serialises one owner's quota checks until the transaction ends. */
  async lockOwner(em: EntityManager, ownerId: string): Promise<void> {
    await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`media:${ownerId}`]);
  },
};
