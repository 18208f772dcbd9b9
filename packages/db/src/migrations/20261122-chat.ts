import { Migration } from '@mikro-orm/migrations';

/**
 * Chat: conversations (the one global channel, direct pairs, groups), their members with read and
 * delivery pointers, messages numbered per conversation, and reactions.
 *
 * - `conversations.last_seq` is the sequence counter: a send bumps it with `update ... returning`, which
 *   also serialises sends within one conversation (row lock) and never across conversations.
 * - `direct_key` (`<lower id>:<higher id>`) makes the pair's conversation unique, so two first messages
 *   racing each other still land in one conversation.
 * - `(author_id, client_id)` is unique: a client resending after a lost ack gets the stored message back.
 * - `search` is a stored tsvector with the `simple` configuration (no stemming, any language), GIN indexed,
 *   over the words only: `body` holds the text with `&`, `<`, `>` escaped for display, and those
 *   entities become spaces first, so `lt`, `gt`, `amp` are not words of the message (decoding them
 *   instead would let the parser take `<word>` for an HTML tag and skip it).
 */
export class Migration20261122Chat extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table conversations (
        id uuid primary key,
        kind text not null check (kind in ('global', 'direct', 'group')),
        name text null,
        direct_key text null,
        created_by uuid null references users (id) on delete set null,
        created_at timestamptz not null default now(),
        last_seq bigint not null default 0,
        constraint conversations_direct_key_unique unique (direct_key)
      );`);
    this.addSql(
      `insert into conversations (id, kind, name) values ('00000000-0000-0000-0000-000000000001', 'global', 'global');`,
    );
    this.addSql(`
      create table conversation_members (
        conversation_id uuid not null references conversations (id) on delete cascade,
        user_id uuid not null references users (id) on delete cascade,
        role text not null default 'member' check (role in ('owner', 'member')),
        joined_at timestamptz not null default now(),
        last_read_seq bigint not null default 0,
        last_delivered_seq bigint not null default 0,
        primary key (conversation_id, user_id)
      );`);
    this.addSql(`create index conversation_members_user_idx on conversation_members (user_id);`);
    this.addSql(`
      create table chat_messages (
        id uuid primary key,
        conversation_id uuid not null references conversations (id) on delete cascade,
        seq bigint not null,
        author_id uuid not null references users (id) on delete cascade,
        client_id text not null,
        body text not null,
        created_at timestamptz not null default now(),
        edited_at timestamptz null,
        deleted_at timestamptz null,
        deleted_by uuid null,
        search tsvector generated always as (
          to_tsvector('simple', replace(replace(replace(body, '&lt;', ' '), '&gt;', ' '), '&amp;', ' '))
        ) stored,
        constraint chat_messages_conversation_seq_unique unique (conversation_id, seq),
        constraint chat_messages_author_client_unique unique (author_id, client_id)
      );`);
    this.addSql(`create index chat_messages_search_idx on chat_messages using gin (search);`);
    this.addSql(`
      create table chat_reactions (
        message_id uuid not null references chat_messages (id) on delete cascade,
        user_id uuid not null references users (id) on delete cascade,
        emoji text not null,
        created_at timestamptz not null default now(),
        primary key (message_id, user_id, emoji)
      );`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists chat_reactions;');
    this.addSql('drop table if exists chat_messages;');
    this.addSql('drop table if exists conversation_members;');
    this.addSql('drop table if exists conversations;');
  }
}
