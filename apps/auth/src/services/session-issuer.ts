import { randomUUID } from 'node:crypto';
import type { MediaUrlSigning } from '@platform/contracts';
import { RefreshToken, Session, toPublicUser, type EntityManager, type User } from '@platform/db';
import { auditEntry } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import type { AccessTokens } from '@platform/tokens';
import type { RequestMeta } from './accounts.service.js';
import { hashRefreshToken, newRefreshToken } from './refresh-tokens.js';
import type { TrustedDevices } from './trusted-devices.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: ReturnType<typeof toPublicUser>;
  /** How long the session lasts, for a refresh cookie's lifetime; never answered (see `answerTokens`). */
  session: { remember: boolean; expiresAt: Date };
}

/** What a complete sign-in answers: the tokens, and the device token that makes this client a trusted device. */
export type SignInResult = TokenPair & { deviceToken: string };

export interface IssuerSettings {
  refreshTtlSeconds: number;
  rememberTtlSeconds: number;
  /** Signs an uploaded avatar's URL in the user a sign-in answers. */
  mediaUrls: MediaUrlSigning;
}

/** How a sign-in proved itself, for the audit record. */
export interface SignIn {
  remember: boolean;
  /** The normalised email the sign-in named. */
  identifier: string;
  /** The second factor, for an account with 2FA. */
  secondFactor?: 'totp' | 'recovery_code';
  /** The OAuth provider that vouched for the user, when it was not the password. */
  provider?: string;
  /** Where the password step of a two-step sign-in came from (it may differ from this request). */
  passwordStep?: { ip: string | null; userAgent: string | null };
  /** The trusted device the sign-in came through; its token is rotated. Otherwise a new one is trusted. */
  deviceId?: string | null;
}

/**
 * Creates sessions and mints token pairs. Every way of signing in (password, password plus a second
 * factor) ends in `startSession`, so they all write the same rows, events and audit record.
 */
export class SessionIssuer {
  constructor(
    private readonly em: EntityManager,
    private readonly tokens: AccessTokens,
    private readonly events: EventSink,
    private readonly devices: TrustedDevices,
    private readonly settings: IssuerSettings,
  ) {}

  /**
   * Starts a session for a user who has fully proved who they are, and returns its first tokens and
   * a device token (the client is a trusted device of the account from now on).
   */
  async startSession(user: User, signIn: SignIn, meta: RequestMeta): Promise<SignInResult> {
    const now = new Date();
    const { remember, identifier } = signIn;
    const session = this.em.create(Session, {
      id: randomUUID(),
      user,
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
      ip: meta.ip,
      remember,
      createdAt: now,
      authenticatedAt: now,
      lastUsedAt: now,
      expiresAt: this.sessionExpiry(remember, now),
      revokedAt: null,
      revokedReason: null,
    });
    const pair = this.issue(session, user, now);
    const deviceToken = await this.devices.remember(user, signIn.deviceId ?? null, meta, now);
    this.events.stage(this.em, 'user.logged_in', {
      userId: user.id,
      sessionId: session.id,
      displayName: user.displayName,
    });
    const { secondFactor, passwordStep, provider, deviceId } = signIn;
    const after = {
      identifier,
      ...(provider ? { provider } : {}),
      ...(secondFactor ? { secondFactor, passwordStep } : {}),
      ...(deviceId ? { trustedDevice: deviceId } : {}),
    };
    this.events.stage(
      this.em,
      'log.audit',
      auditEntry(meta, { action: 'login.succeeded', actorId: user.id, targetId: user.id, after }),
    );
    await this.em.flush();
    return { ...pair, deviceToken };
  }

  /** A new refresh token in `session`'s family (written by the caller's flush) and an access token. */
  issue(session: Session, user: User, now: Date): TokenPair {
    const refreshToken = newRefreshToken();
    this.em.create(RefreshToken, {
      id: randomUUID(),
      session,
      tokenHash: hashRefreshToken(refreshToken),
      createdAt: now,
      expiresAt: session.expiresAt,
      usedAt: null,
    });
    const access = this.accessToken(session, user);
    return {
      accessToken: access.token,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
      user: toPublicUser(user, this.settings.mediaUrls),
      session: { remember: session.remember, expiresAt: session.expiresAt },
    };
  }

  /** An access token for `session`, carrying when its user last proved who they are (`auth_time`). */
  accessToken(session: Session, user: User) {
    return this.tokens.sign({
      userId: user.id,
      role: user.role,
      sessionId: session.id,
      authTime: session.authenticatedAt,
    });
  }

  /** When a session (re)started at `from` ends; it slides with every refresh. */
  sessionExpiry(remember: boolean, from: Date): Date {
    const seconds = remember ? this.settings.rememberTtlSeconds : this.settings.refreshTtlSeconds;
    return new Date(from.getTime() + seconds * 1000);
  }
}
