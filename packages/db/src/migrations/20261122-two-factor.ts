import { Migration } from '@mikro-orm/migrations';

/** TOTP two-factor sign-in: each user's sealed secret (pending or enabled) and their recovery codes. */
export class Migration20261122TwoFactor extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table user_totp (
        user_id uuid primary key references users (id) on delete cascade,
        secret_enc text null,
        pending_secret_enc text null,
        enabled_at timestamptz null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint user_totp_enabled_has_secret check (enabled_at is null or secret_enc is not null)
      );`);
    this.addSql(`
      create table totp_recovery_codes (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        code_hash text not null,
        created_at timestamptz not null default now(),
        used_at timestamptz null,
        constraint totp_recovery_codes_code_hash_unique unique (code_hash)
      );`);
    this.addSql(`create index totp_recovery_codes_user_id_idx on totp_recovery_codes (user_id);`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists totp_recovery_codes;');
    this.addSql('drop table if exists user_totp;');
  }
}
