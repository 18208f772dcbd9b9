import { randomUUID } from 'node:crypto';
import type { Page, Request } from 'playwright-core';
/* eslint-disable-next-line no-restricted-imports -- auth's test provider is a process of its own, not a
   library: reused as is so the browser meets the same real OIDC provider auth's own tests do. */
import { startMockProvider, type MockProvider } from '../../../auth/test/integration/oauth-provider.js';
import { browsers, expectVisible } from './browser-helpers.js';
import { startStackWorld, type StackWorld } from './stack-world.js';

let provider: MockProvider;
let world: StackWorld;
beforeAll(async () => {
  provider = await startMockProvider({ interactive: true });
  world = await startStackWorld({
    auth: {
      OAUTH_OIDC_PROVIDERS: JSON.stringify([
        {
          name: 'mockid',
          displayName: 'Mock ID',
          issuer: provider.url,
          clientId: 'platform-web',
          clientSecret: 'web-s3cret',
        },
      ]),
    },
  });
}, 60_000);
afterAll(async () => {
  await world?.close();
  provider?.stop();
});

const openBrowser = browsers(() => world);

/** Someone with an account at the provider, signed in there. */
async function atProvider(name: string): Promise<{ sub: string; email: string; name: string }> {
  const person = { sub: randomUUID(), email: `${randomUUID()}@oauth.test`, name };
  await provider.signInAs({ ...person, email_verified: true });
  return person;
}

/**
 * Every URL the tab asked for or was redirected to (with the fragment a redirect carries, which no
 * request shows), so a test can say what was, or never was, in one.
 */
function navigations(page: Page): string[] {
  const urls: string[] = [];
  const ours = (request: Request) => request.isNavigationRequest() && request.frame() === page.mainFrame();
  page.on('request', (request) => {
    if (ours(request)) urls.push(request.url());
  });
  page.on('response', (response) => {
    const location = response.headers().location;
    if (location && ours(response.request())) urls.push(new URL(location, response.url()).toString());
  });
  return urls;
}

/** From the app's sign-in page to the provider's consent page, as a person clicks through it. */
async function continueWithProvider(page: Page): Promise<void> {
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Continue with Mock ID' }).click();
  await page.getByRole('heading', { name: 'Sign in with Mock ID' }).waitFor();
  expect(new URL(page.url()).origin).toBe(provider.url);
}

const accountsWith = async (email: string) =>
  (await world.sql('select id from users where email = ?', [email])) as { id: string }[];
const identitiesOf = async (subject: string) =>
  (await world.sql('select user_id from oauth_identities where provider = ? and subject = ?', [
    'mockid',
    subject,
  ])) as { user_id: string }[];

describe('signing in with an OpenID Connect provider in a browser', () => {
  it('signs a new person in through the consent page and brings them back to the same account', async () => {
    const ada = await atProvider('Ada Oauth');
    const first = await openBrowser();
    const urls = navigations(first.page);
    await continueWithProvider(first.page);
    await expectVisible(first.page.getByText(`Signed in at Mock ID as Ada Oauth (${ada.email})`));
    await first.page.getByRole('button', { name: 'Allow' }).click();

    await first.page.getByRole('heading', { name: 'Everyone' }).waitFor();
    expect(first.page.url()).toBe(`${world.url}/messages`);
    await expectVisible(first.page.getByRole('banner').getByText('Ada Oauth'));
    // The round trip went through the provider and auth's callback with a code, as in production.
    expect(urls.some((url) => url.startsWith(`${world.url}/oauth/mockid/callback?code=`))).toBe(true);
    // Back to the provider's page and "Allow" again: its state is spent, the person stays signed in.
    await first.page.goBack();
    await first.page.getByRole('button', { name: 'Allow' }).click();
    await first.page.waitForURL(`${world.url}/messages`);
    await first.page.getByRole('heading', { name: 'Everyone' }).waitFor();
    expect(urls).toContain(`${world.url}/sign-in/oauth#error=invalid_state`);
    await first.page.reload();
    await first.page.getByRole('heading', { name: 'Everyone' }).waitFor();
    await first.page.getByRole('link', { name: 'Profile' }).click();
    await expectVisible(first.page.getByText(`${ada.email} (verified)`));
    const [account] = await accountsWith(ada.email);

    // Back after signing out, in the same browser, and from another one: the same account each time.
    await first.page.getByRole('button', { name: 'Sign out' }).click();
    await first.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const again = await openBrowser();
    for (const { page } of [first, again]) {
      await continueWithProvider(page);
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.getByRole('heading', { name: 'Everyone' }).waitFor();
      await expectVisible(page.getByRole('banner').getByText('Ada Oauth'));
    }
    expect(await accountsWith(ada.email)).toEqual([account]);
    expect(await identitiesOf(ada.sub)).toEqual([{ user_id: account?.id }]);
    // Cookie mode: every session came back as auth's httpOnly cookie, never as a token in a URL.
    expect(urls.filter((url) => /(access|refresh|id)_?token=|totpChallenge/i.test(url))).toEqual([]);
    expect([...first.errors, ...again.errors]).toEqual([]);
  }, 45_000);

  it('tells a person who cancels at the provider that they are not signed in, and creates nothing', async () => {
    const bea = await atProvider('Bea Cancel');
    const { page, errors } = await openBrowser();
    const urls = navigations(page);
    await continueWithProvider(page);
    await page.getByRole('button', { name: 'Cancel' }).click();

    const alert = page.getByRole('alert');
    await expectVisible(alert);
    expect(await alert.textContent()).toMatch(/cancelled the sign-in/);
    expect(new URL(page.url()).origin).toBe(world.url);
    expect(urls).toContain(`${world.url}/sign-in/oauth#error=oauth_error&providerError=access_denied`);
    expect(await accountsWith(bea.email)).toEqual([]);
    expect(await identitiesOf(bea.sub)).toEqual([]);

    // The way back works: the sign-in page, signed out, the provider still offered.
    await alert.getByRole('link', { name: 'Sign in' }).click();
    await expectVisible(page.getByRole('link', { name: 'Continue with Mock ID' }));
    expect(errors).toEqual([]);
  }, 45_000);
});
