import type { BrowserContext, Page } from 'playwright-core';
import { startStackWorld, type StackWorld } from './stack-world.js';

const PASSWORD = 'violet-anchor-meadow-42!';

let world: StackWorld;
beforeAll(async () => {
  world = await startStackWorld();
}, 60_000);
afterAll(() => world?.close());

const contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

/** A fresh browser profile (no cookies, no storage) on the app; every page error fails the test. */
async function openBrowser(): Promise<{ page: Page; errors: string[]; dialogs: string[] }> {
  const context = await world.browser.newContext({ baseURL: world.url });
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // A CSP violation is reported on the console: the app must not cause any.
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
      errors.push(message.text());
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return { page, errors, dialogs };
}

async function signUp(page: Page, email: string, displayName: string): Promise<void> {
  await page.goto('/sign-up');
  await page.getByLabel('Display name').fill(displayName);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Check your mail' }).waitFor();
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Everyone' }).waitFor();
}

/** The verification link of the newest mail to `email`, as the mail's text carries it. */
async function verificationLink(email: string): Promise<string> {
  const mail = await world.sink.waitFor(
    (m) => m.to.includes(email) && /verify-email\?token=/.test(m.text),
    20_000,
  );
  const link = /(http:\/\/\S+\/verify-email\?token=[\w-]+)/.exec(mail.text)?.[1];
  if (link === undefined) throw new Error(`no verification link in:\n${mail.text}`);
  return link;
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

describe('the web app in a browser', () => {
  it('shows the server password feedback on sign-up, verifies the mailed link and signs in', async () => {
    const { page, errors } = await openBrowser();
    await page.goto('/sign-up');
    await page.getByLabel('Email').fill('weak@example.test');
    await page.getByLabel('Password').fill('password');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expectVisible(page.getByRole('alert'));
    expect(await page.getByRole('alert').textContent()).toMatch(/at least 12 characters/);

    await signUp(page, 'ada@example.test', 'Ada');
    const link = await verificationLink('ada@example.test');
    expect(link.startsWith(`${world.url}/verify-email?token=`)).toBe(true);
    await page.goto(link);
    await page.getByRole('button', { name: 'Verify email' }).click();
    await expectVisible(page.getByText('Your email address is verified.'));

    await signIn(page, 'ada@example.test');
    await page.getByRole('link', { name: 'Profile' }).click();
    await expectVisible(page.getByText('ada@example.test (verified)'));
    expect(errors).toEqual([]);
  });

  it('delivers a message live to another user, shows markup as text, survives a reload and signs out', async () => {
    const ada = await openBrowser();
    const bob = await openBrowser();
    await signUp(ada.page, 'ada2@example.test', 'Ada');
    await signUp(bob.page, 'bob@example.test', 'Bob');
    await signIn(ada.page, 'ada2@example.test');
    await signIn(bob.page, 'bob@example.test');

    await send(ada.page, 'Hello from Ada');
    const bobLog = bob.page.getByRole('log', { name: 'Messages' });
    await expectVisible(bobLog.getByText('Hello from Ada'));

    const markup = '<img src=x onerror=alert(1)>';
    await send(bob.page, markup);
    const adaLog = ada.page.getByRole('log', { name: 'Messages' });
    await expectVisible(adaLog.getByText(markup, { exact: true }));
    expect(await adaLog.locator('img').count()).toBe(0);

    // A reload keeps the session: the refresh token is in auth's httpOnly cookie, not in the page.
    await ada.page.reload();
    await expectVisible(ada.page.getByRole('log', { name: 'Messages' }).getByText('Hello from Ada'));
    expect(await ada.page.evaluate(() => document.cookie)).not.toMatch(/refresh_token/);

    await ada.page.getByRole('button', { name: 'Sign out' }).click();
    await ada.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await ada.page.goto('/messages');
    await ada.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await ada.page.reload();
    await ada.page.getByRole('heading', { name: 'Sign in' }).waitFor();

    expect(ada.dialogs).toEqual([]);
    expect([...ada.errors, ...bob.errors]).toEqual([]);
  });
});

/** Waits until the locator is visible (Playwright's own wait, with a readable failure). */
async function expectVisible(locator: ReturnType<Page['getByText']>): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout: 10_000 });
}
