import { oidcProvidersSchema, resolveProviders, type OAuthProviderConfig } from './provider-config.js';

const github = {
  OAUTH_GITHUB_AUTHORIZE_URL: 'https://github.com/login/oauth/authorize',
  OAUTH_GITHUB_TOKEN_URL: 'https://github.com/login/oauth/access_token',
  OAUTH_GITHUB_USERINFO_URL: 'https://api.github.com/user',
  OAUTH_GITHUB_EMAILS_URL: 'https://api.github.com/user/emails',
  OAUTH_GOOGLE_ISSUER: 'https://accounts.google.com',
};

describe('OAUTH_OIDC_PROVIDERS', () => {
  it('takes a JSON array of providers', () => {
    const list = oidcProvidersSchema.parse(
      '[{"name":"acme","issuer":"https://idp.acme.example","clientId":"c"}]',
    );
    expect(list).toEqual([{ name: 'acme', issuer: 'https://idp.acme.example', clientId: 'c' }]);
  });

  it.each([
    'not json',
    '{"name":"acme"}',
    '[{"name":"acme","issuer":"ftp://x","clientId":"c"}]',
    '[{"name":"github","issuer":"https://x.example","clientId":"c"}]',
    '[{"name":"a-b","issuer":"https://x.example","clientId":"c"},{"name":"a-b","issuer":"https://y.example","clientId":"d"}]',
    '[{"name":"acme","issuer":"https://x.example","clientId":"c","extra":1}]',
  ])('refuses %s', (value) => {
    expect(oidcProvidersSchema.safeParse(value).success).toBe(false);
  });
});

describe('resolveProviders', () => {
  it('enables GitHub and Google only with a client id', () => {
    const none: OAuthProviderConfig = { ...github, OAUTH_OIDC_PROVIDERS: [] };
    expect([...resolveProviders(none).keys()]).toEqual([]);
    const both = resolveProviders({ ...none, OAUTH_GITHUB_CLIENT_ID: 'g', OAUTH_GOOGLE_CLIENT_ID: 'o' });
    expect(both.get('github')).toMatchObject({ kind: 'github', scope: 'read:user user:email' });
    expect(both.get('google')).toMatchObject({
      kind: 'oidc',
      issuer: 'https://accounts.google.com',
      endpoints: {},
    });
  });
});
