import { mediaUrlSignerOf } from '@platform/config';
import type { MediaUrlSigning } from '@platform/contracts';
import type { EntityManager } from '@platform/db';
import type { ServiceResources } from '@platform/runtime';
import { insecureDevKeyring, parseKeyring, SecretBox, type AccessTokens } from '@platform/tokens';
import type { AuthConfig } from '../config.js';
import { AccountsService } from './accounts.service.js';
import { Lockout } from './lockout.js';
import { LoginService } from './login.service.js';
import { IdentitiesService } from './oauth/identities.service.js';
import { IdentityLinker } from './oauth/identity-linker.js';
import { OAuthStates } from './oauth/oauth-states.js';
import { OAuthService } from './oauth/oauth.service.js';
import { resolveProviders } from './oauth/provider-config.js';
import { ProviderHttp } from './oauth/provider-http.js';
import type { PasswordHasher } from './password-hasher.js';
import { PasswordsService } from './passwords.service.js';
import { ReauthenticationService } from './reauthentication.service.js';
import { SessionIssuer } from './session-issuer.js';
import { SessionsService } from './sessions.service.js';
import { TrustedDevices } from './trusted-devices.js';
import { LoginChallenges, UsedTotpSteps } from './two-factor/login-challenges.js';
import { TwoFactorService } from './two-factor/two-factor.service.js';

export interface AuthServices {
  accounts: AccountsService;
  login: LoginService;
  sessions: SessionsService;
  passwords: PasswordsService;
  reauthentication: ReauthenticationService;
  twoFactor: TwoFactorService;
  oauth: OAuthService;
  identities: IdentitiesService;
  devices: TrustedDevices;
  /** Signs uploaded avatars' URLs in the users auth answers. */
  mediaUrls: MediaUrlSigning;
}

/** The box sealing TOTP secrets: the configured keys, or outside production a marked dev key. */
export function totpSecretBox(config: AuthConfig): SecretBox {
  const spec = config.TOTP_ENCRYPTION_KEYS;
  return new SecretBox(spec ? parseKeyring(spec) : insecureDevKeyring('totp'));
}

/** Sessions and what they stand on: also all that the gRPC port needs (no password hashing). */
export function createSessionServices(
  deps: ServiceResources & { config: AuthConfig },
  em: EntityManager = deps.orm.em,
) {
  const { config, events, denylist, tokens } = deps;
  const devices = new TrustedDevices(em, events, { ttlSeconds: config.TRUSTED_DEVICE_TTL_SECONDS });
  const issuer = new SessionIssuer(em, tokens, events, devices, {
    refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
    rememberTtlSeconds: config.REFRESH_TOKEN_REMEMBER_TTL_SECONDS,
    mediaUrls: mediaUrlSignerOf(config),
  });
  const sessions = new SessionsService(em, issuer, denylist, events, {
    reuseGraceSeconds: config.REFRESH_REUSE_GRACE_SECONDS,
  });
  return { devices, issuer, sessions };
}

/** Wires auth's services from its config and resources; `em` defaults to the request-scoped global one. */
export function createServices(
  deps: ServiceResources & { config: AuthConfig; hasher: PasswordHasher },
  em: EntityManager = deps.orm.em,
): AuthServices {
  const { config, hasher, events, denylist, redis } = deps;
  const lockout = new Lockout(redis, {
    threshold: config.LOCKOUT_THRESHOLD,
    ipThreshold: config.LOCKOUT_IP_THRESHOLD,
    windowSeconds: config.LOCKOUT_WINDOW_SECONDS,
    lockSeconds: config.LOCKOUT_DURATION_SECONDS,
    maxLockSeconds: config.LOCKOUT_MAX_DURATION_SECONDS,
  });
  const links = {
    publicWebUrl: config.PUBLIC_WEB_URL,
    verificationTtlSeconds: config.EMAIL_VERIFICATION_TTL_SECONDS,
  };
  // No token in it: the reader asks for a reset link themselves if they want one.
  const forgotPasswordUrl = new URL('forgot-password', withSlash(config.PUBLIC_WEB_URL)).toString();
  const lockNotice = {
    forgotPasswordUrl,
    publicWebUrl: config.PUBLIC_WEB_URL,
    unlockTtlSeconds: config.UNLOCK_LINK_TTL_SECONDS,
  };
  const mediaUrls = mediaUrlSignerOf(config);
  const { devices, issuer, sessions } = createSessionServices(deps, em);
  const twoFactor = new TwoFactorService(
    em,
    hasher,
    events,
    lockout,
    totpSecretBox(config),
    new UsedTotpSteps(redis),
    { issuer: config.TOTP_ISSUER, lockNotice },
  );
  const challenges = new LoginChallenges(redis, config.TOTP_CHALLENGE_TTL_SECONDS);
  const login = new LoginService(em, hasher, events, lockout, issuer, twoFactor, challenges, devices, {
    requireVerifiedEmail: config.REQUIRE_EMAIL_VERIFICATION,
    lockNotice,
  });
  return {
    accounts: new AccountsService(em, hasher, events, links, denylist, devices),
    login,
    sessions,
    passwords: new PasswordsService(em, hasher, denylist, events, lockout, devices, deps.log, {
      ...links,
      resetTtlSeconds: config.PASSWORD_RESET_TTL_SECONDS,
    }),
    reauthentication: new ReauthenticationService(em, hasher, events, lockout, twoFactor, issuer, {
      lockNotice,
    }),
    twoFactor,
    oauth: new OAuthService(
      resolveProviders(config),
      new ProviderHttp(config.OAUTH_HTTP_TIMEOUT_MS),
      // The cookie's HMAC key is derived from the signing key: one secret fewer to provision (a sign-in
      // under way when the signing key changes has to start again).
      new OAuthStates(redis, config.OAUTH_STATE_TTL_SECONDS, stateSecretOf(deps.tokens)),
      new IdentityLinker(em, events, links),
      login,
      {
        redirectBaseUrl: config.OAUTH_REDIRECT_BASE_URL,
        returnToOrigins: [
          new URL(config.PUBLIC_WEB_URL).origin,
          ...config.OAUTH_RETURN_TO_ORIGINS.map(originOf),
        ],
        successUrl:
          config.OAUTH_SUCCESS_REDIRECT_URL ??
          new URL('sign-in/oauth', withSlash(config.PUBLIC_WEB_URL)).toString(),
      },
    ),
    identities: new IdentitiesService(em, events),
    devices,
    mediaUrls,
  };
}

function originOf(url: string): string {
  return new URL(url).origin;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Secret material only auth holds: the private half of the key that signs access tokens. */
function stateSecretOf(tokens: AccessTokens): string {
  const key = tokens.keys.signingKey?.privateKey;
  if (!key) throw new Error('auth needs JWT_PRIVATE_KEYS');
  return key.export({ format: 'der', type: 'pkcs8' }).toString('base64');
}
