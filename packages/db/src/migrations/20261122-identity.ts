import { Migration } from '@mikro-orm/migrations';

/** Users, sessions (refresh-token families) and refresh tokens. */
export class Migration20261122Identity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table users (
        id uuid primary key,
        email text not null,
        password_hash text null,
        role text not null check (role in ('admin', 'manager', 'user')),
        status text not null default 'active' check (status in ('active', 'suspended', 'deactivated')),
        display_name text not null,
        avatar_url text null,
        status_text text null,
        email_verified_at timestamptz null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        deleted_at timestamptz null,
        constraint users_email_unique unique (email)
      );`);
    this.addSql(`create index users_created_at_id_idx on users (created_at, id);`);
    this.addSql(`create index users_role_idx on users (role);`);
    this.addSql(`
      create table sessions (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        user_agent text null,
        ip text null,
        remember boolean not null default false,
        created_at timestamptz not null default now(),
        last_used_at timestamptz not null default now(),
        expires_at timestamptz not null,
        revoked_at timestamptz null,
        revoked_reason text null
      );`);
    this.addSql(`create index sessions_user_id_active_idx on sessions (user_id) where revoked_at is null;`);
    this.addSql(`
      create table refresh_tokens (
        id uuid primary key,
        session_id uuid not null references sessions (id) on delete cascade,
        token_hash text not null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        used_at timestamptz null,
        constraint refresh_tokens_token_hash_unique unique (token_hash)
      );`);
    this.addSql(`create index refresh_tokens_session_id_idx on refresh_tokens (session_id);`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists refresh_tokens;');
    this.addSql('drop table if exists sessions;');
    this.addSql('drop table if exists users;');
  }
}
