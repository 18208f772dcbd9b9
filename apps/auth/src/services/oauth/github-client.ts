import { z } from 'zod';
import type { PendingAuthorization } from './oauth-states.js';
import type { ProviderClient, ProviderProfile } from './provider-client.js';
import type { GithubProviderSettings } from './provider-config.js';
import { providerFailure, type ProviderHttp } from './provider-http.js';

const githubUser = z.object({
  id: z.union([z.number(), z.string()]),
  login: z.string(),
  name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
});
const githubEmails = z.array(z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() }));

/**
 * GitHub's OAuth apps: plain OAuth 2 (no id_token), so the profile comes from the REST API. The
 * numeric user id is the subject (logins can be renamed); the email is the primary one from
 * /user/emails with GitHub's own `verified` flag, since /user shows only a public address, unverified.
 */
export class GithubClient implements ProviderClient {
  constructor(
    private readonly settings: GithubProviderSettings,
    private readonly http: ProviderHttp,
  ) {}

  authorizationEndpoint(): Promise<string> {
    return Promise.resolve(this.settings.endpoints.authorize);
  }

  async profile(code: string, pending: PendingAuthorization, redirectUri: string): Promise<ProviderProfile> {
    const { name, endpoints } = this.settings;
    const tokens = await this.http.exchangeCode(this.settings, endpoints.token, {
      code,
      redirectUri,
      verifier: pending.verifier,
    });
    const headers = { authorization: `Bearer ${tokens.access_token}`, accept: 'application/vnd.github+json' };
    const user = githubUser.safeParse(
      await this.http.json(name, 'the user endpoint', endpoints.user, { headers }),
    );
    if (!user.success) throw providerFailure(name, 'the user endpoint answered an unexpected shape.');
    const emails = githubEmails.safeParse(
      await this.http.json(name, 'the emails endpoint', endpoints.emails, { headers }),
    );
    const primary = emails.success ? emails.data.find((e) => e.primary) : undefined;
    return {
      subject: String(user.data.id),
      email: primary?.email ?? user.data.email ?? null,
      emailVerified: primary?.verified ?? false,
      name: user.data.name || user.data.login,
    };
  }
}
