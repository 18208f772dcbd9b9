import { Migration } from '@mikro-orm/migrations';

/**
 * The transactional outbox, worker-email's delivery log, worker-logs' store of request and audit logs,
 * and the single-use tokens those mails carry.
 */
export class Migration20261122Messaging extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table outbox (
        id uuid primary key,
        seq bigint generated always as identity,
        target_kind text not null check (target_kind in ('exchange', 'queue')),
        target_name text not null,
        routing_key text null,
        envelope jsonb not null,
        headers jsonb not null default '{}',
        created_at timestamptz not null default now(),
        attempts integer not null default 0,
        last_error text null,
        parked_at timestamptz null
      );`);
    this.addSql(`create index outbox_pending_idx on outbox (seq) where parked_at is null;`);

    // One row per email.send message id: the claim that makes a redelivered or republished command a no-op.
    this.addSql(`
      create table email_deliveries (
        message_id uuid primary key,
        template text not null,
        recipient text not null,
        user_id uuid null,
        status text not null check (status in ('sending', 'sent', 'failed')),
        attempts integer not null default 1,
        claimed_until timestamptz null,
        smtp_response text null,
        last_error text null,
        created_at timestamptz not null default now(),
        sent_at timestamptz null
      );`);
    this.addSql(`create index email_deliveries_created_at_idx on email_deliveries (created_at);`);

    // Request and audit logs in one table: the admin audit view reads both in one timeline.
    this.addSql(`
      create table audit_logs (
        id bigint generated always as identity primary key,
        message_id uuid not null,
        kind text not null check (kind in ('request', 'audit')),
        occurred_at timestamptz not null,
        service text not null,
        request_id text null,
        action text null,
        actor_id uuid null,
        target_id text null,
        user_id uuid null,
        method text null,
        path text null,
        status integer null,
        duration_ms double precision null,
        ip text null,
        user_agent text null,
        before jsonb null,
        after jsonb null,
        constraint audit_logs_message_id_unique unique (message_id)
      );`);
    this.addSql(`create index audit_logs_occurred_at_idx on audit_logs (occurred_at desc, id desc);`);
    this.addSql(
      `create index audit_logs_actor_idx on audit_logs (actor_id, occurred_at desc) where actor_id is not null;`,
    );
    this.addSql(
      `create index audit_logs_user_idx on audit_logs (user_id, occurred_at desc) where user_id is not null;`,
    );
    this.addSql(
      `create index audit_logs_target_idx on audit_logs (target_id, occurred_at desc) where target_id is not null;`,
    );
    this.addSql(
      `create index audit_logs_action_idx on audit_logs (action, occurred_at desc) where action is not null;`,
    );
    this.addSql(
      `create index audit_logs_path_idx on audit_logs (path text_pattern_ops) where path is not null;`,
    );

    this.addSql(`
      create table account_tokens (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        purpose text not null check (purpose in ('verify_email', 'password_reset')),
        token_hash text not null,
        email text not null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        used_at timestamptz null,
        constraint account_tokens_token_hash_unique unique (token_hash)
      );`);
    this.addSql(`create index account_tokens_user_idx on account_tokens (user_id, purpose);`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists account_tokens;');
    this.addSql('drop table if exists audit_logs;');
    this.addSql('drop table if exists email_deliveries;');
    this.addSql('drop table if exists outbox;');
  }
}
