/*
 * A real OAuth 2 / OpenID Connect provider (oauth2-mock-server) in a child process: the library is
 * ESM-only and jest runs tests as CommonJS, so it cannot be loaded in the test itself. Besides the
 * library's endpoints (discovery, /authorize, /token with PKCE, /userinfo, /jwks) it serves GitHub's
 * /user and /user/emails. The test steers it over IPC (see oauth-provider.ts).
 *
 * With `--interactive` (the browser tests) /authorize first shows a sign-in and consent page, as a
 * real provider does, and the issuer is http://localhost:<port>: another site than the app's
 * 127.0.0.1, so the browser treats the round trip as cross-site, cookies included.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuth2Issuer, OAuth2Service } from 'oauth2-mock-server';
import { consentPage, DECISION } from './oauth-consent-page.js';

/** Who is "signed in" at the provider; applied to id_tokens, userinfo and the GitHub API. */
export interface MockProfile {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export type MockCommand =
  | { cmd: 'profile'; profile: MockProfile }
  | { cmd: 'failNextToken' }
  | { cmd: 'nextIdTokenClaims'; claims: Record<string, unknown> };

const interactive = process.argv.includes('--interactive');
let profile: MockProfile = { sub: 'nobody' };
let nextIdTokenClaims: Record<string, unknown> | null = null;

const issuer = new OAuth2Issuer();
const service = new OAuth2Service(issuer);

service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => {
  // The id_token is the one with an audience (the client id); the access token only needs the subject.
  token.payload.sub = profile.sub;
  if (token.payload.aud === undefined) return;
  const { email, email_verified, name } = profile;
  Object.assign(token.payload, { email, email_verified, name }, nextIdTokenClaims ?? {});
  nextIdTokenClaims = null;
});
// "Cancel" on the consent page: the library redirects back, and the answer becomes RFC 6749 §4.1.2.1's.
service.on('beforeAuthorizeRedirect', ({ url }: { url: URL }, req: { url?: string }) => {
  if (new URL(req.url ?? '/', 'http://mock').searchParams.get(DECISION) !== 'deny') return;
  url.searchParams.delete('code');
  url.searchParams.set('error', 'access_denied');
  url.searchParams.set('error_description', 'The user cancelled the sign-in.');
});
service.on('beforeUserinfo', (response: { body: unknown }) => {
  response.body = profile;
});

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://mock');
  const path = url.pathname;
  if (interactive && path === '/authorize' && !url.searchParams.has(DECISION)) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return res.end(consentPage(url.searchParams, profile));
  }
  if (path === '/user/emails') {
    const emails = profile.email
      ? [{ email: profile.email, primary: true, verified: profile.email_verified === true }]
      : [];
    return json(res, emails);
  }
  if (path === '/user')
    return json(res, {
      id: Number(profile.sub) || profile.sub,
      login: profile.sub,
      name: profile.name ?? null,
      email: null,
    });
  service.requestHandler(req, res);
});

process.on('message', (message: MockCommand & { id: number }) => {
  if (message.cmd === 'profile') profile = message.profile;
  if (message.cmd === 'nextIdTokenClaims') nextIdTokenClaims = message.claims;
  if (message.cmd === 'failNextToken')
    service.once('beforeResponse', (response: { body: unknown; statusCode: number }) => {
      response.statusCode = 500;
      response.body = { error: 'server_error' };
    });
  process.send?.({ id: message.id });
});
process.on('disconnect', () => process.exit(0));

await issuer.keys.generate('RS256');
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  issuer.url = `http://${interactive ? 'localhost' : '127.0.0.1'}:${port}`;
  process.send?.({ ready: issuer.url });
});
