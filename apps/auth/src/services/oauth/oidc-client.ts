import { z } from 'zod';
import { IdTokenError, isVerified, tokenKeyId, verifyIdToken, type Jwk } from './id-token.js';
import type { PendingAuthorization } from './oauth-states.js';
import type { ProviderClient, ProviderProfile } from './provider-client.js';
import type { OidcProviderSettings } from './provider-config.js';
import { providerFailure, type ProviderHttp } from './provider-http.js';

const discoveryDocument = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  userinfo_endpoint: z.url().optional(),
  jwks_uri: z.url(),
});

interface Endpoints {
  authorize: string;
  token: string;
  userinfo: string | undefined;
  jwks: string;
}

const jwksDocument = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });
const userinfoDocument = z.object({
  sub: z.string(),
  email: z.string().optional(),
  email_verified: z.union([z.boolean(), z.string()]).optional(),
  name: z.string().optional(),
});

/** A provider rotating its keys gets its JWKS re-read for an unknown kid, but not more often than this. */
const JWKS_REFRESH_MS = 30_000;

/**
 * An OpenID Connect relying party for one provider: endpoints by discovery (cached for the process;
 * a failed discovery is retried on the next sign-in), the id_token verified against the provider's
 * JWKS, and the userinfo endpoint consulted only for claims the id_token lacks, with its `sub`
 * required to match (OIDC Core §5.3.2).
 */
export class OidcClient implements ProviderClient {
  private endpoints: Promise<Endpoints> | null = null;
  private keys: { keys: Jwk[]; fetchedAt: number } | null = null;

  constructor(
    private readonly settings: OidcProviderSettings,
    private readonly http: ProviderHttp,
  ) {}

  async authorizationEndpoint(): Promise<string> {
    return (await this.resolve()).authorize;
  }

  async profile(code: string, pending: PendingAuthorization, redirectUri: string): Promise<ProviderProfile> {
    const endpoints = await this.resolve();
    const tokens = await this.http.exchangeCode(this.settings, endpoints.token, {
      code,
      redirectUri,
      verifier: pending.verifier,
    });
    if (!tokens.id_token) throw providerFailure(this.settings.name, 'the token endpoint gave no id_token.');
    const keys = await this.signingKeys(endpoints.jwks, tokenKeyId(tokens.id_token));
    let claims;
    try {
      claims = verifyIdToken(tokens.id_token, keys, {
        issuer: this.settings.issuer,
        clientId: this.settings.clientId,
        nonce: pending.nonce,
      });
    } catch (error) {
      if (error instanceof IdTokenError)
        throw providerFailure(this.settings.name, `the id_token was refused: ${error.message}.`);
      throw error;
    }
    let { email, email_verified: verified, name } = claims;
    if ((!email || name === undefined) && endpoints.userinfo) {
      const info = userinfoDocument.safeParse(
        await this.http.json(this.settings.name, 'the userinfo endpoint', endpoints.userinfo, {
          headers: { authorization: `Bearer ${tokens.access_token}` },
        }),
      );
      if (info.success && info.data.sub === claims.sub) {
        if (!email) ({ email, email_verified: verified } = info.data);
        name ??= info.data.name;
      }
    }
    return {
      subject: claims.sub,
      email: email ?? null,
      emailVerified: isVerified(verified),
      name: name ?? null,
    };
  }

  private resolve(): Promise<Endpoints> {
    this.endpoints ??= this.discover().catch((error: unknown) => {
      this.endpoints = null;
      throw error;
    });
    return this.endpoints;
  }

  private async discover(): Promise<Endpoints> {
    const { issuer, endpoints, name } = this.settings;
    if (endpoints.authorize && endpoints.token && endpoints.jwks)
      return {
        authorize: endpoints.authorize,
        token: endpoints.token,
        userinfo: endpoints.userinfo,
        jwks: endpoints.jwks,
      };
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const parsed = discoveryDocument.safeParse(await this.http.json(name, 'discovery', url));
    // OIDC Discovery §4.3: the document must name the issuer we asked, or its tokens will not match.
    if (!parsed.success || parsed.data.issuer !== issuer)
      throw providerFailure(name, 'the discovery document is not valid for this issuer.');
    const doc = parsed.data;
    return {
      authorize: endpoints.authorize ?? doc.authorization_endpoint,
      token: endpoints.token ?? doc.token_endpoint,
      userinfo: endpoints.userinfo ?? doc.userinfo_endpoint,
      jwks: endpoints.jwks ?? doc.jwks_uri,
    };
  }

  private async signingKeys(jwksUrl: string, kid: string | undefined): Promise<Jwk[]> {
    const cached = this.keys;
    const known = cached && (kid === undefined || cached.keys.some((k) => k.kid === kid));
    if (cached && (known || Date.now() - cached.fetchedAt < JWKS_REFRESH_MS)) return cached.keys;
    const parsed = jwksDocument.safeParse(
      await this.http.json(this.settings.name, 'the JWKS endpoint', jwksUrl),
    );
    if (!parsed.success) throw providerFailure(this.settings.name, 'the JWKS document is not valid.');
    this.keys = { keys: parsed.data.keys as Jwk[], fetchedAt: Date.now() };
    return this.keys.keys;
  }
}
