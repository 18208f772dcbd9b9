import type { MediaUrlSigning, MediaView } from '@platform/contracts';
import { MEDIA_COLUMNS, mediaRowView, type MediaRow } from '@platform/db';
import { rowsOf, type Db } from './chat-db.js';
import { ChatError, type MessageView } from './chat.types.js';

/** The files of each message (in the order sent), for a page of messages in one query; deleted files are gone. */
export async function attachmentsOf(
  db: Db,
  messageIds: readonly string[],
  mediaUrls: MediaUrlSigning,
): Promise<Map<string, MediaView[]>> {
  const byMessage = new Map<string, MediaView[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await rowsOf<MediaRow & { message_id: string }>(
    db,
    `select a.message_id, ${MEDIA_COLUMNS} from chat_message_attachments a
     join media md on md.id = a.media_id and md.deleted_at is null
     where a.message_id = any(?) order by a.message_id, a.position`,
    [[...messageIds]],
  );
  for (const row of rows)
    byMessage.set(row.message_id, [...(byMessage.get(row.message_id) ?? []), mediaRowView(row, mediaUrls)]);
  return byMessage;
}

/** A message view with its files, when it has any. */
export function withFiles(view: MessageView, files: MediaView[] | undefined): MessageView {
  return files && files.length > 0 && !view.deleted ? { ...view, attachments: files } : view;
}

/**
 * Attaches uploads to a message being stored (inside its transaction): each must be the author's own
 * live attachment upload that did not fail processing. Marks them attached, so the purge keeps them.
 */
export async function attachToMessage(
  db: Db,
  messageId: string,
  authorId: string,
  mediaIds: readonly string[],
) {
  const ids = [...new Set(mediaIds)];
  const own = await rowsOf<{ id: string }>(
    db,
    `select id from media where id = any(?) and owner_id = ? and purpose = 'attachment'
       and deleted_at is null and status <> 'failed'`,
    [ids, authorId],
  );
  if (own.length !== ids.length)
    throw new ChatError(
      'validation_failed',
      'Attachments must be your own uploads (POST /media) that did not fail.',
    );
  await db('chat_message_attachments').insert(
    ids.map((mediaId, position) => ({ message_id: messageId, media_id: mediaId, position })),
  );
  await db.raw('update media set attached_at = coalesce(attached_at, now()) where id = any(?)', [ids]);
}
