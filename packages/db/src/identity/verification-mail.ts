import type { EntityManager } from '@mikro-orm/postgresql';
import type { User } from '../entities/user.entity.js';
import { AccountTokens } from './account-tokens.js';
import type { EventStager } from './events.js';

/** Where verification links point and how long they live (every service that sends one has both). */
export interface VerificationLinkSettings {
  publicWebUrl: string;
  verificationTtlSeconds: number;
}

/**
 * Issues a `verify_email` link for the account's current address and stages the mail that carries it:
 * `welcome` for a new account, `verify_email` for an address to (re)confirm. A welcome to an address
 * already verified (a provider vouched for it) carries no link and issues no token. Both go into
 * `em`'s unit of work: the caller's flush sends them with the change that asked for them.
 */
export function mailVerificationLink(
  em: EntityManager,
  events: EventStager,
  user: User,
  template: 'welcome' | 'verify_email',
  settings: VerificationLinkSettings,
  displayName = user.displayName,
): void {
  const { publicWebUrl, verificationTtlSeconds } = settings;
  const issue = () =>
    new AccountTokens(em).issueLink(user, 'verify_email', verificationTtlSeconds, publicWebUrl);
  const recipient = { to: user.email, userId: user.id, displayName };
  if (template === 'welcome') {
    const verifyUrl = user.emailVerifiedAt ? null : issue().url;
    events.stage(em, 'email.send', { template, ...recipient, verifyUrl });
    return;
  }
  const link = issue();
  events.stage(em, 'email.send', { template, ...recipient, verifyUrl: link.url, expiresAt: link.expiresAt });
}
