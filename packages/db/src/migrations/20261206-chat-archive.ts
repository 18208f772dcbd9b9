import { Migration } from '@mikro-orm/migrations';

/**
 * The chat archive: messages older than CHAT_ARCHIVE_AFTER_DAYS move out of `chat_messages` (the hot
 * table every send, history page and unread count touches) into `chat_messages_archive`, in small
 * batches. History, sync and search read both and flag archived messages; archived messages are read
 * only, so their reactions are frozen into a `reactions` count object. Additive: the previous release
 * never reads the archive and sees only the newer messages.
 *
 * Not PostgreSQL's declarative partitioning: a unique constraint of a partitioned table must include
 * the partition key, so `(conversation_id, seq)` and `(author_id, client_id)` could only be unique per
 * month, and those two keep seq gapless and sends idempotent.
 */
export class Migration20261206ChatArchive extends Migration {
  override async up(): Promise<void> {
    // The archive job picks the oldest messages by it; search pages newest first by it.
    this.addSql(`create index chat_messages_created_at_idx on chat_messages (created_at);`);
    this.addSql(`
      create table chat_messages_archive (
        id uuid primary key,
        conversation_id uuid not null references conversations (id) on delete cascade,
        seq bigint not null,
        author_id uuid not null references users (id) on delete cascade,
        client_id text not null,
        body text not null,
        created_at timestamptz not null,
        edited_at timestamptz null,
        deleted_at timestamptz null,
        deleted_by uuid null,
        sentiment real null,
        reactions jsonb not null default '{}',
        archived_at timestamptz not null default now(),
        search tsvector generated always as (
          to_tsvector('simple', replace(replace(replace(body, '&lt;', ' '), '&gt;', ' '), '&amp;', ' '))
        ) stored,
        constraint chat_messages_archive_conversation_seq_unique unique (conversation_id, seq)
      );`);
    this.addSql(`create index chat_messages_archive_search_idx on chat_messages_archive using gin (search);`);
    // Search pages newest first over both tables: a merge of two backward scans on these two indexes
    // stops after a page, where sorting the archive's matches would read all of them.
    this.addSql(`create index chat_messages_archive_created_at_idx on chat_messages_archive (created_at);`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists chat_messages_archive;');
    this.addSql('drop index if exists chat_messages_created_at_idx;');
  }
}
