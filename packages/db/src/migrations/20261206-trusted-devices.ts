import { Migration } from '@mikro-orm/migrations';

/**
 * Trusted devices (the lockout's device cookie) and the mailed `unlock` token purpose (after
 * Migration20261206AccountSecurity, whose `email_revert` the purpose check keeps). Additive only:
 * the previous release never reads the new table and never writes the new purpose.
 */
export class Migration20261206TrustedDevices extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table trusted_devices (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        token_hash text not null,
        user_agent text null,
        created_at timestamptz not null default now(),
        last_used_at timestamptz not null default now(),
        constraint trusted_devices_token_hash_unique unique (token_hash)
      );`);
    this.addSql(`create index trusted_devices_user_id_idx on trusted_devices (user_id, last_used_at desc);`);
    this.addSql(`alter table account_tokens drop constraint account_tokens_purpose_check;`);
    this.addSql(`
      alter table account_tokens add constraint account_tokens_purpose_check
        check (purpose in ('verify_email', 'password_reset', 'email_revert', 'unlock'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from account_tokens where purpose = 'unlock';`);
    this.addSql(`alter table account_tokens drop constraint account_tokens_purpose_check;`);
    this.addSql(`
      alter table account_tokens add constraint account_tokens_purpose_check
        check (purpose in ('verify_email', 'password_reset', 'email_revert'));`);
    this.addSql('drop table if exists trusted_devices;');
  }
}
