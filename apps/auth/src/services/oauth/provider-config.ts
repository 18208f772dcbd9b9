import { z } from 'zod';

/** How the client proves itself at the token endpoint (RFC 6749 §2.3.1). */
export const TOKEN_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'] as const;
export type TokenAuthMethod = (typeof TOKEN_AUTH_METHODS)[number];

/** Names GitHub and Google use, and path words of /oauth that a provider name must not shadow. */
const RESERVED_NAMES = new Set(['github', 'google', 'identities']);

const httpUrl = z.url({ protocol: /^https?$/ });

/** One generic OpenID Connect provider of OAUTH_OIDC_PROVIDERS. Endpoints not given come from discovery. */
export const oidcProviderEntry = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,31}$/, 'must be 2-32 characters of a-z, 0-9 and -, starting with a letter'),
  issuer: httpUrl,
  /** What the sign-in button says, e.g. "Acme SSO" (default: the name). */
  displayName: z.string().trim().min(1).max(40).optional(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1).optional(),
  scope: z.string().min(1).optional(),
  tokenEndpointAuthMethod: z.enum(TOKEN_AUTH_METHODS).optional(),
  authorizeUrl: httpUrl.optional(),
  tokenUrl: httpUrl.optional(),
  userinfoUrl: httpUrl.optional(),
  jwksUrl: httpUrl.optional(),
});
export type OidcProviderEntry = z.infer<typeof oidcProviderEntry>;

/**
 * OAUTH_OIDC_PROVIDERS: a JSON array of `oidcProviderEntry`. JSON rather than a `name=url` list
 * because each provider needs a client id and usually a secret, which a flat list cannot carry
 * without inventing an escape syntax.
 */
export const oidcProvidersSchema = z
  .string()
  .transform((text, ctx): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of providers' });
      return z.NEVER;
    }
  })
  .pipe(z.array(oidcProviderEntry))
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((entry, index) => {
      if (RESERVED_NAMES.has(entry.name) || seen.has(entry.name))
        ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `"${entry.name}" is taken` });
      seen.add(entry.name);
    });
  });

/** A provider's settings as the flow uses them, whatever config they came from. */
export type ProviderSettings = OidcProviderSettings | GithubProviderSettings;

interface ClientSettings {
  name: string;
  /** Shown to people on the sign-in button. */
  label: string;
  clientId: string;
  clientSecret: string | null;
  scope: string;
  tokenAuth: TokenAuthMethod;
}

export interface OidcProviderSettings extends ClientSettings {
  kind: 'oidc';
  issuer: string;
  /** Overrides of what discovery says; with authorize, token and jwks all set, discovery is skipped. */
  endpoints: { authorize?: string; token?: string; userinfo?: string; jwks?: string };
}

export interface GithubProviderSettings extends ClientSettings {
  kind: 'github';
  endpoints: { authorize: string; token: string; user: string; emails: string };
}

/** The OAuth part of the auth config, as `resolveProviders` reads it. */
export interface OAuthProviderConfig {
  OAUTH_GITHUB_CLIENT_ID?: string | undefined;
  OAUTH_GITHUB_CLIENT_SECRET?: string | undefined;
  OAUTH_GITHUB_AUTHORIZE_URL: string;
  OAUTH_GITHUB_TOKEN_URL: string;
  OAUTH_GITHUB_USERINFO_URL: string;
  OAUTH_GITHUB_EMAILS_URL: string;
  OAUTH_GOOGLE_CLIENT_ID?: string | undefined;
  OAUTH_GOOGLE_CLIENT_SECRET?: string | undefined;
  OAUTH_GOOGLE_ISSUER: string;
  OAUTH_GOOGLE_AUTHORIZE_URL?: string | undefined;
  OAUTH_GOOGLE_TOKEN_URL?: string | undefined;
  OAUTH_GOOGLE_USERINFO_URL?: string | undefined;
  OAUTH_GOOGLE_JWKS_URL?: string | undefined;
  OAUTH_OIDC_PROVIDERS: OidcProviderEntry[];
}

const OIDC_SCOPE = 'openid email profile';

/** The enabled providers by name: GitHub and Google when they have a client id, plus every generic one. */
export function resolveProviders(config: OAuthProviderConfig): Map<string, ProviderSettings> {
  const providers = new Map<string, ProviderSettings>();
  if (config.OAUTH_GITHUB_CLIENT_ID) {
    providers.set('github', {
      kind: 'github',
      name: 'github',
      label: 'GitHub',
      clientId: config.OAUTH_GITHUB_CLIENT_ID,
      clientSecret: config.OAUTH_GITHUB_CLIENT_SECRET ?? null,
      scope: 'read:user user:email',
      // GitHub documents the body form; it ignores Basic credentials on some endpoints.
      tokenAuth: 'client_secret_post',
      endpoints: {
        authorize: config.OAUTH_GITHUB_AUTHORIZE_URL,
        token: config.OAUTH_GITHUB_TOKEN_URL,
        user: config.OAUTH_GITHUB_USERINFO_URL,
        emails: config.OAUTH_GITHUB_EMAILS_URL,
      },
    });
  }
  if (config.OAUTH_GOOGLE_CLIENT_ID) {
    providers.set('google', {
      kind: 'oidc',
      name: 'google',
      label: 'Google',
      issuer: config.OAUTH_GOOGLE_ISSUER,
      clientId: config.OAUTH_GOOGLE_CLIENT_ID,
      clientSecret: config.OAUTH_GOOGLE_CLIENT_SECRET ?? null,
      scope: OIDC_SCOPE,
      tokenAuth: 'client_secret_post',
      endpoints: defined({
        authorize: config.OAUTH_GOOGLE_AUTHORIZE_URL,
        token: config.OAUTH_GOOGLE_TOKEN_URL,
        userinfo: config.OAUTH_GOOGLE_USERINFO_URL,
        jwks: config.OAUTH_GOOGLE_JWKS_URL,
      }),
    });
  }
  for (const entry of config.OAUTH_OIDC_PROVIDERS) {
    providers.set(entry.name, {
      kind: 'oidc',
      name: entry.name,
      label: entry.displayName ?? entry.name,
      issuer: entry.issuer,
      clientId: entry.clientId,
      clientSecret: entry.clientSecret ?? null,
      scope: entry.scope ?? OIDC_SCOPE,
      tokenAuth: entry.tokenEndpointAuthMethod ?? 'client_secret_basic',
      endpoints: defined({
        authorize: entry.authorizeUrl,
        token: entry.tokenUrl,
        userinfo: entry.userinfoUrl,
        jwks: entry.jwksUrl,
      }),
    });
  }
  return providers;
}

function defined<T extends Record<string, string | undefined>>(record: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: string;
  };
}
