import { Migration } from '@mikro-orm/migrations';

/**
 * Account security: when each session last proved who its user is (sign-in or step-up), so refreshed
 * access tokens keep an honest `auth_time`; and mailed `email_revert` links, which undo an email
 * change from the old address.
 */
export class Migration20261206AccountSecurity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table sessions add column authenticated_at timestamptz null;`);
    this.addSql(`update sessions set authenticated_at = created_at;`);
    this.addSql(`alter table sessions alter column authenticated_at set not null;`);
    this.addSql(`alter table account_tokens drop constraint account_tokens_purpose_check;`);
    this.addSql(`
      alter table account_tokens add constraint account_tokens_purpose_check
        check (purpose in ('verify_email', 'password_reset', 'email_revert'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from account_tokens where purpose = 'email_revert';`);
    this.addSql(`alter table account_tokens drop constraint account_tokens_purpose_check;`);
    this.addSql(`
      alter table account_tokens add constraint account_tokens_purpose_check
        check (purpose in ('verify_email', 'password_reset'));`);
    this.addSql('alter table sessions drop column if exists authenticated_at;');
  }
}
