import { Migration } from '@mikro-orm/migrations';

/**
 * Uploaded media (apps/media, apps/worker-media) and chat messages' attachments. Additive only: the previous release never reads
 * the new table.
 */
export class Migration20261206Media extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table media (
        id uuid primary key,
        owner_id uuid not null references users (id) on delete cascade,
        purpose text not null check (purpose in ('attachment', 'avatar')),
        kind text not null check (kind in ('image', 'audio', 'video', 'file')),
        name text not null,
        mime text not null,
        size bigint not null check (size > 0),
        sha256 text not null,
        status text not null check (status in ('processing', 'ready', 'failed')),
        failure_reason text null,
        width integer null,
        height integer null,
        duration_ms integer null,
        storage_key text not null,
        variants jsonb not null default '{}',
        created_at timestamptz not null default now(),
        processed_at timestamptz null,
        attached_at timestamptz null,
        deleted_at timestamptz null
      );`);
    // The quota sums an owner's live files; the purge finds old unattached ones.
    this.addSql(`create index media_owner_live_idx on media (owner_id) where deleted_at is null;`);
    // A chat message's attachments, in the order sent; whoever may read the message may read them.
    this.addSql(`
      create table chat_message_attachments (
        -- In chat_messages or, once archived, chat_messages_archive: no foreign key, so archiving a
        -- message keeps its files (messages are never deleted otherwise, only blanked).
        message_id uuid not null,
        media_id uuid not null references media (id) on delete cascade,
        position smallint not null,
        primary key (message_id, media_id)
      );`);
    this.addSql(`create index chat_message_attachments_media_idx on chat_message_attachments (media_id);`);
    this.addSql(
      `create index media_unattached_idx on media (created_at) where attached_at is null and deleted_at is null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists chat_message_attachments;');
    this.addSql('drop table if exists media;');
  }
}
