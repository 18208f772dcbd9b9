import { Media, type EntityManager } from '@platform/db';

/** The queries over the `media` table. */
export const mediaQueries = {
  /** A medium that is not deleted, or null. */
  findLive(em: EntityManager, id: string): Promise<Media | null> {
    return em.findOne(Media, { id, deletedAt: null });
  },

  /** True while the owner's account is active: a suspended or deleted account's files are hidden from others. */
  async ownerIsActive(em: EntityManager, ownerId: string): Promise<boolean> {
    const rows = await em.execute<{ active: boolean }[]>(
      `select exists (select 1 from users where id = ? and status = 'active' and deleted_at is null) as active`,
      [ownerId],
    );
    return rows[0]?.active === true;
  },

  /** Bytes an owner stores in live media (the quota counts these). */
  async liveBytesOf(em: EntityManager, ownerId: string): Promise<number> {
    const rows = await em.execute<{ total: string | null }[]>(
      'select coalesce(sum(size), 0)::text as total from media where owner_id = ? and deleted_at is null',
      [ownerId],
    );
    return Number(rows[0]?.total ?? 0);
  },

  /**
   * True when `userId` may see a live chat message that carries the medium: one in the global channel
   * or in a conversation they are a member of (the same rule as the chat's own reads).
   */
  async isSharedWith(em: EntityManager, mediaId: string, userId: string): Promise<boolean> {
    const rows = await em.execute<{ shared: boolean }[]>(
      `select exists (
         select 1 from chat_message_attachments a
         join chat_messages m on m.id = a.message_id and m.deleted_at is null
         join conversations c on c.id = m.conversation_id
         where a.media_id = ? and (c.kind = 'global' or exists (
           select 1 from conversation_members cm where cm.conversation_id = m.conversation_id and cm.user_id = ?))
       ) as shared`,
      [mediaId, userId],
    );
    return rows[0]?.shared === true;
  },

  /**
   * True when the medium hangs on a live message, or on none at all (an upload not sent yet, whose
   * URLs only its owner was given): a deleted message takes its attachments' signed URLs with it.
   */
  async isOnLiveMessageOrUnattached(em: EntityManager, mediaId: string): Promise<boolean> {
    const rows = await em.execute<{ shown: boolean }[]>(
      `select (
         not exists (select 1 from chat_message_attachments a where a.media_id = ?)
         or exists (select 1 from chat_message_attachments a
                    join chat_messages m on m.id = a.message_id and m.deleted_at is null
                    where a.media_id = ?)
       ) as shown`,
      [mediaId, mediaId],
    );
    return rows[0]?.shown === true;
  },

  /** Serialises one owner's quota checks until the transaction ends. */
  async lockOwner(em: EntityManager, ownerId: string): Promise<void> {
    await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`media:${ownerId}`]);
  },
};
