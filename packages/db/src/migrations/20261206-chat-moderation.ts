import { Migration } from '@mikro-orm/migrations';

/**
 * Chat moderation and sentiment. Additive only: the previous release never reads the new columns or
 * the new table.
 *
 * - `conversations.moderation` is the conversation's own action for offensive text (`off`, `mask`,
 *   `hold`, `refuse`); null follows the deployment's default (CHAT_MODERATION_ACTION).
 * - `chat_messages.sentiment` is the AFINN comparative score of the text as sent (null for messages
 *   stored before this release); the admin's chat summary averages it.
 * - `chat_held_messages` is the review queue. A held message has no seq: it joins the conversation
 *   (and gets the next seq) only when an admin approves it, so clients resuming by seq never see a gap.
 *   `(author_id, client_id)` is unique, as for messages, so a resent held message is held once.
 */
export class Migration20261206ChatModeration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table conversations add column moderation text null
        check (moderation in ('off', 'mask', 'hold', 'refuse'));`);
    this.addSql(`alter table chat_messages add column sentiment real null;`);
    this.addSql(`
      create table chat_held_messages (
        id uuid primary key,
        conversation_id uuid not null references conversations (id) on delete cascade,
        author_id uuid not null references users (id) on delete cascade,
        client_id text not null,
        body text not null,
        terms text[] not null default '{}',
        sentiment real null,
        created_at timestamptz not null default now(),
        decision text null check (decision in ('approved', 'rejected')),
        decided_by uuid null references users (id) on delete set null,
        decided_at timestamptz null,
        message_id uuid null references chat_messages (id) on delete set null,
        constraint chat_held_messages_author_client_unique unique (author_id, client_id)
      );`);
    this.addSql(`
      create index chat_held_messages_pending_idx on chat_held_messages (created_at, id)
        where decision is null;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists chat_held_messages;');
    this.addSql('alter table chat_messages drop column if exists sentiment;');
    this.addSql('alter table conversations drop column if exists moderation;');
  }
}
