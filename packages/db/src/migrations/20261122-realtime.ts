import { Migration } from '@mikro-orm/migrations';

/** Notifications the realtime tier delivers over sockets, kept until read (and listed by GET /notifications). */
export class Migration20261122Realtime extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table notifications (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        event text not null,
        message text not null,
        source_message_id uuid null,
        created_at timestamptz not null default now(),
        delivered_at timestamptz null,
        read_at timestamptz null,
        constraint notifications_source_message_id_unique unique (source_message_id)
      );`);
    this.addSql(`create index notifications_user_created_idx on notifications (user_id, created_at);`);
    // What a connect reads: this user's undelivered notifications, oldest first.
    this.addSql(
      `create index notifications_undelivered_idx on notifications (user_id, created_at) where delivered_at is null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists notifications;');
  }
}
