import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { browsers, expectVisible, PASSWORD, registered, send, signIn } from './browser-helpers.js';
import { startStackWorld, type StackWorld } from './stack-world.js';

let world: StackWorld;
beforeAll(async () => {
  world = await startStackWorld();
}, 60_000);
afterAll(() => world?.close());

const openBrowser = browsers(() => world);

async function signUp(page: Page, email: string, displayName: string): Promise<void> {
  await page.goto('/sign-up');
  await page.getByLabel('Display name').fill(displayName);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Check your mail' }).waitFor();
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

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical findings on the page as it is now (rule id and the nodes' selectors). */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(): Promise<{
            violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[];
          }>;
        };
      }
    ).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(' ')}`);
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

  it('signs a user out of their open page when an admin locks the account', async () => {
    const root = await registered(world, 'root@example.test', 'Root');
    const eve = await registered(world, 'eve@example.test', 'Eve Locked');
    await world.promote(root.email, 'admin');
    const admin = await openBrowser();
    const user = await openBrowser();
    await signIn(admin.page, root.email);
    await signIn(user.page, eve.email);

    await admin.page.getByRole('link', { name: 'Admin console' }).click();
    await admin.page.getByLabel('Search name or email').fill('Eve Locked');
    await admin.page.getByRole('button', { name: 'Apply' }).click();
    // Eve's dot in the directory is live: online while her page is open.
    const eveRow = admin.page.getByRole('row', { name: /^Eve Locked/ });
    await expectVisible(eveRow.getByRole('img', { name: 'online' }));
    const row = admin.page.getByRole('group', { name: 'Actions for Eve Locked' });
    await row.getByRole('button', { name: 'Lock' }).click();
    await admin.page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();

    // The lock ends Eve's sessions; her socket is closed with 4001 and the SDK signs the page out.
    await user.page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 15_000 });
    await expectVisible(eveRow.getByRole('img', { name: 'offline' }), 15_000);
    await user.page.getByLabel('Email').fill(eve.email);
    await user.page.getByLabel('Password').fill(PASSWORD);
    await user.page.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(user.page.getByRole('alert'));
    expect([...admin.errors, ...user.errors]).toEqual([]);
  }, 60_000);

  it('renders the dark theme and Arabic right to left, and keeps both after a reload', async () => {
    const gil = await registered(world, 'gil@example.test', 'Gil');
    const { page, errors } = await openBrowser();
    await signIn(page, gil.email);
    await page.getByLabel('Theme').selectOption('dark');
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const luminance = (rgb: string) =>
      (rgb.match(/\d+/g) ?? []).slice(0, 3).reduce((sum, v) => sum + Number(v), 0);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(luminance(await background())).toBeLessThan(200);

    await page.getByLabel('Language').selectOption('ar');
    await expectVisible(page.getByRole('heading', { name: 'الجميع' }));
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
      'ar',
      'rtl',
    ]);
    // Right to left for real: the conversation list sits on the right of the messages.
    const side = await page.getByRole('navigation', { name: 'المحادثات' }).boundingBox();
    const log = await page.getByRole('log', { name: 'الرسائل' }).boundingBox();
    expect((side?.x ?? 0) > (log?.x ?? 0)).toBe(true);

    await page.reload();
    await expectVisible(page.getByRole('heading', { name: 'الجميع' }));
    expect(
      await page.evaluate(() => [document.documentElement.dir, document.documentElement.dataset.theme]),
    ).toEqual(['rtl', 'dark']);
    expect(errors).toEqual([]);
  }, 45_000);

  it('has no serious or critical axe-core findings on sign-in, messages, settings and the console', async () => {
    const ivy = await registered(world, 'ivy@example.test', 'Ivy');
    await world.promote(ivy.email, 'admin');
    // axe is injected as a script: this profile alone ignores the CSP for it.
    const { page } = await openBrowser({ bypassCSP: true });
    await page.goto('/sign-in');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const found: Record<string, string[]> = { signIn: await accessibilityProblems(page) };

    await signIn(page, ivy.email);
    await send(page, 'Checking the page for everyone 👋');
    await expectVisible(
      page.getByRole('log', { name: 'Messages' }).getByText('Checking the page for everyone 👋'),
    );
    found.messages = await accessibilityProblems(page);

    await page.getByRole('link', { name: 'Security' }).click();
    await page.getByRole('heading', { name: 'Security' }).waitFor();
    found.settings = await accessibilityProblems(page);

    await page.getByRole('link', { name: 'Admin console' }).click();
    await expectVisible(page.getByRole('group', { name: 'Actions for Ivy' }));
    found.console = await accessibilityProblems(page);

    expect(found).toEqual({ signIn: [], messages: [], settings: [], console: [] });
  }, 60_000);

  it('keeps notifications in an inbox with read marks, and on the desktop while the tab is hidden', async () => {
    const kim = await registered(world, 'kim@example.test', 'Kim');
    const { page, context, errors } = await openBrowser();
    await context.grantPermissions(['notifications']);
    // Chromium's own Notification, recorded; and a switch for document.hidden, which a headless tab never is.
    await page.addInitScript(() => {
      const shown: string[] = [];
      const Real = window.Notification;
      class Recorded extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push(`${title}: ${options?.body ?? ''}`);
        }
      }
      Object.assign(window, { shownNotifications: shown, pretendHidden: false });
      Object.defineProperty(window, 'Notification', { value: Recorded });
      Object.defineProperty(document, 'hidden', {
        get: () => (window as unknown as { pretendHidden: boolean }).pretendHidden,
      });
    });
    await signIn(page, kim.email);

    const bell = page.getByRole('button', { name: /^Notifications, \d+ unread$/ });
    await bell.click();
    const inbox = page.getByRole('region', { name: 'Notifications' });
    await expectVisible(inbox.getByRole('listitem').first());
    await inbox.getByRole('button', { name: 'Mark all read' }).click();
    await expectVisible(page.getByRole('button', { name: 'Notifications', exact: true }));
    // The read marks are the server's: still read after a reload.
    await page.reload();
    await page.getByRole('heading', { name: 'Everyone' }).waitFor();
    await expectVisible(page.getByRole('button', { name: 'Notifications', exact: true }));

    await page.evaluate(() => Object.assign(window, { pretendHidden: true }));
    const lou = await registered(world, 'lou@example.test', 'Lou');
    const client = world.nodeClient();
    await client.auth.login({ email: lou.email, password: PASSWORD });
    const chat = client.realtime();
    chat.connect();
    await chat.send({ to: kim.id }, 'Are you there?');
    await page.waitForFunction(() =>
      (window as unknown as { shownNotifications: string[] }).shownNotifications.some((n) =>
        n.endsWith(': Are you there?'),
      ),
    );
    client.close();
    expect(errors).toEqual([]);
  }, 45_000);
});
