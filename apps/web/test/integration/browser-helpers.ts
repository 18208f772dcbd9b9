import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { StackWorld } from './stack-world.js';

export const PASSWORD = 'violet-anchor-meadow-42!';

export interface Opened {
  page: Page;
  context: BrowserContext;
  /** Page errors and CSP violations: every test expects none. */
  errors: string[];
  dialogs: string[];
}

/** Fresh browser profiles (no cookies, no storage) on the app; closed after each test. */
export function browsers(world: () => StackWorld) {
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });
  return async function openBrowser(options: { bypassCSP?: boolean } = {}): Promise<Opened> {
    const context = await world().browser.newContext({ baseURL: world().url, ...options });
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
    return { page, context, errors, dialogs };
  };
}

/** An account made through the SDK (Node), its id from its own sign-in: quicker than the sign-up page. */
export async function registered(
  world: StackWorld,
  email: string,
  displayName: string,
): Promise<{ id: string; email: string; displayName: string }> {
  const client = world.nodeClient();
  await client.api.register({ body: { email, password: PASSWORD, displayName } });
  const result = await client.auth.login({ email, password: PASSWORD });
  if (result.status !== 'signedIn') throw new Error(`${email} needs a second factor`);
  await client.auth.logout();
  client.close();
  return { id: result.user.id, email, displayName };
}

export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Everyone' }).waitFor();
}

export async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

/** Waits until the locator is visible (Playwright's own wait, with a readable failure). */
export async function expectVisible(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}
