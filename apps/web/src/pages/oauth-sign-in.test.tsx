import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '@platform/client';
import '../i18n/i18n.js';
import { SessionProvider } from '../session/session-context.js';
import { OAuthButtons, oauthStartHref } from './oauth-sign-in.js';

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
