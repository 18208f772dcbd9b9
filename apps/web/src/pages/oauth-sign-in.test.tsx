import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '@platform/client';
import '../i18n/i18n.js';
import { SessionProvider } from '../session/session-context.js';
import { OAuthButtons, OAuthDonePage, oauthStartHref, providerFailureOf } from './oauth-sign-in.js';

let providers: { id: string; name: string }[] = [];

beforeEach(() => {
  // The network, not our code: answers GET /oauth/providers the way auth does; nobody is signed in.
  vi.stubGlobal('fetch', async (input: string) => {
    const url = new URL(input, 'http://app.test');
    if (url.pathname === '/oauth/providers') {
      return new Response(JSON.stringify({ providers }), { headers: { 'content-type': 'application/json' } });
    }
    return new Response(JSON.stringify({ code: 'unauthorized', status: 401 }), {
      status: 401,
      headers: { 'content-type': 'application/problem+json' },
    });
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

function renderButtons(remember: boolean) {
  const client = createClient({ baseUrl: 'http://app.test', transport: 'body', crossTab: false });
  render(
    <SessionProvider client={client}>
      <MemoryRouter>
        <OAuthButtons remember={remember} />
      </MemoryRouter>
    </SessionProvider>,
  );
}

describe('OAuthButtons', () => {
  it('offers one sign-in link per configured provider, in cookie mode back to the finish page', async () => {
    providers = [
      { id: 'github', name: 'GitHub' },
      { id: 'acme', name: 'Acme SSO' },
    ];
    renderButtons(true);
    const github = await screen.findByRole('link', { name: 'Continue with GitHub' });
    const acme = screen.getByRole('link', { name: 'Continue with Acme SSO' });
    const href = new URL(github.getAttribute('href') ?? '', 'http://app.test');
    expect(href.pathname).toBe('/oauth/github/start');
    expect(Object.fromEntries(href.searchParams)).toEqual({
      tokenTransport: 'cookie',
      remember: '1',
      returnTo: `${window.location.origin}/sign-in/oauth`,
    });
    expect(acme.getAttribute('href')).toMatch(/^\/oauth\/acme\/start\?/);
  });

  it('shows nothing when the deployment has no providers', async () => {
    providers = [];
    renderButtons(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByRole('navigation')).toBeNull();
  });
});

describe('oauthStartHref', () => {
  it('escapes the provider and carries remember-me', () => {
    const href = oauthStartHref('a b', false, 'https://chat.example');
    expect(href.startsWith('/oauth/a%20b/start?')).toBe(true);
    expect(new URLSearchParams(href.split('?')[1]).get('remember')).toBe('0');
    expect(new URLSearchParams(href.split('?')[1]).get('returnTo')).toBe(
      'https://chat.example/sign-in/oauth',
    );
  });
});

describe('providerFailureOf', () => {
  it('words a cancel at the provider, an expired sign-in and the rest by their codes alone', () => {
    expect(providerFailureOf('#error=oauth_error&providerError=access_denied')).toBe(
      'signIn.providerCancelled',
    );
    expect(providerFailureOf('#error=invalid_state')).toBe('signIn.providerExpired');
    expect(providerFailureOf('#error=account_exists')).toBe('signIn.providerAccountExists');
    expect(providerFailureOf('#error=oauth_provider_error&providerError=server_error')).toBe(
      'signIn.providerFailed',
    );
    expect(providerFailureOf('#error=%3Cb%3Eyour+bank+says%3C%2Fb%3E')).toBe('signIn.providerFailed');
    expect(providerFailureOf('#totpChallenge=abc')).toBeNull();
    expect(providerFailureOf('')).toBeNull();
  });
});

describe('OAuthDonePage', () => {
  it('tells a person who cancelled at the provider that they are not signed in, with the way back', async () => {
    window.history.replaceState(null, '', '/sign-in/oauth#error=oauth_error&providerError=access_denied');
    const client = createClient({ baseUrl: 'http://app.test', transport: 'body', crossTab: false });
    render(
      <SessionProvider client={client}>
        <MemoryRouter initialEntries={['/sign-in/oauth']}>
          <OAuthDonePage />
        </MemoryRouter>
      </SessionProvider>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(
      /^You cancelled the sign-in at the provider, so you are not signed in\./,
    );
    expect(screen.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/sign-in');
  });
});
