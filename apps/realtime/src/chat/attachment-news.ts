import type { MediaUrlSigning } from '@platform/contracts';
import { MEDIA_COLUMNS, mediaRowView, type MediaRow } from '@platform/db';
import { rowsOf, type Db } from './chat-db.js';
import type { ChatFanout } from './chat-fanout.js';
import type { Resolved } from './chat.types.js';
import { conversationAudience } from './conversations.service.js';
import type { RecentCache } from './recent-cache.js';

export interface AttachmentNewsDeps {
  db: Db;
  fanout: ChatFanout;
  recent: RecentCache | null;
  mediaUrls: MediaUrlSigning;
}

/**
 * worker-media finished a file (`media.processed`): every live message carrying it is announced to
 * its conversation as `chat.attachment` with the file's fresh metadata (status, size, thumbnail), and
 * the conversation's cached page is dropped, since it holds the old status. A message sent after the
 * worker committed already carried the fresh metadata, so nothing falls between the two. Returns how
 * many messages were announced.
 */
export async function announceProcessedAttachment(
  deps: AttachmentNewsDeps,
  mediaId: string,
): Promise<number> {
  const { db, fanout, recent, mediaUrls } = deps;
  const [media] = await rowsOf<MediaRow>(
    db,
    `select ${MEDIA_COLUMNS} from media md where md.id = ? and md.deleted_at is null`,
    [mediaId],
  );
  if (!media) return 0;
  const messages = await rowsOf<{
    id: string;
    conversation_id: string;
    seq: string | number;
    kind: Resolved['kind'];
  }>(
    db,
    `select m.id, m.conversation_id, m.seq, c.kind from chat_message_attachments a
     join chat_messages m on m.id = a.message_id and m.deleted_at is null
     join conversations c on c.id = m.conversation_id
     where a.media_id = ?`,
    [mediaId],
  );
  if (messages.length === 0) return 0;
  await recent?.invalidate([...new Set(messages.map((m) => m.conversation_id))]);
  const attachment = mediaRowView(media, mediaUrls);
  for (const message of messages) {
    fanout.publish(await conversationAudience(db, message), {
      type: 'chat.attachment',
      id: message.id,
      conversationId: message.conversation_id,
      seq: Number(message.seq),
      attachment,
    });
  }
  return messages.length;
}
