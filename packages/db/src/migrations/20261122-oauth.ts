import { Migration } from '@mikro-orm/migrations';

/**
 * Sign-in through external providers: one row per (provider, subject), at most one per provider per
 * user. The (user_id, provider) unique index also serves "this user's identities".
 */
export class Migration20261122OAuth extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table oauth_identities (
        id uuid primary key,
        user_id uuid not null references users (id) on delete cascade,
        provider text not null,
        subject text not null,
        email text null,
        created_at timestamptz not null default now(),
        last_login_at timestamptz null,
        constraint oauth_identities_provider_subject_unique unique (provider, subject),
        constraint oauth_identities_user_id_provider_unique unique (user_id, provider)
      );`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists oauth_identities;');
  }
}
