import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expectVisible, PASSWORD, registered, signIn } from '../integration/browser-helpers.js';
import { startStackWorld, type StackWorld } from '../integration/stack-world.js';

/** Where README.md shows them from. */
const OUT = path.resolve(__dirname, '../../../../docs/screenshots');
const VIEWPORT = { width: 1280, height: 760 };

let world: StackWorld;
beforeAll(async () => {
  world = await startStackWorld();
}, 60_000);
afterAll(() => world?.close());

/** A signed-in SDK client in Node, its socket open, for writing what the screens show. */
async function chatAs(email: string) {
  const client = world.nodeClient();
  await client.auth.login({ email, password: PASSWORD });
  const chat = client.realtime();
  chat.connect();
  return { client, chat };
}

async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  // Caret and focus rings would differ run to run; the screenshot is of the page, not of a moment.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  // The welcome toast would cover the composer.
  const dismiss = page.getByRole('button', { name: /^(Dismiss notification|إغلاق الإشعار)$/ });
  if (await dismiss.isVisible()) await dismiss.click();
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage });
}

it('takes the main screens', async () => {
  mkdirSync(OUT, { recursive: true });
  const ada = await registered(world, 'ada@example.com', 'Ada Lovelace');
  const grace = await registered(world, 'grace@example.com', 'Grace Hopper');
  const alan = await registered(world, 'alan@example.com', 'Alan Turing');
  for (const n of ['edsger', 'barbara', 'ken', 'margaret', 'linus'])
    await registered(world, `${n}@example.com`, n[0]?.toUpperCase() + n.slice(1));
  await world.promote(ada.email, 'admin');
  // A few mistyped passwords, so the console's chart has both lines.
  for (const email of [grace.email, alan.email, 'nobody@example.com'])
    await world
      .nodeClient()
      .auth.login({ email, password: 'not-the-password' })
      .catch(() => undefined);

  const adaChat = await chatAs(ada.email);
  const group = await adaChat.client.api.createGroup({
    body: { name: 'Compiler team', members: [grace.id, alan.id] },
  });
  const graceChat = await chatAs(grace.email);
  const alanChat = await chatAs(alan.email);
  const lines: [typeof adaChat, string][] = [
    [graceChat, 'Morning! The nightly build is green again 🎉'],
    [alanChat, 'Nice. Was it the flaky parser test?'],
    [graceChat, 'Yes: a race in the tokenizer cache. Fixed and covered by a test now.'],
    [adaChat, 'Great work. Shall we cut the release candidate after lunch?'],
    [alanChat, 'Works for me. I will write the changelog.'],
    [graceChat, 'I can take the upgrade notes 📝'],
  ];
  for (const [who, text] of lines) await who.chat.send({ channel: group.id }, text);
  await graceChat.chat.send({ to: ada.id }, 'Do you have a minute to review my pull request?');
  await alanChat.chat.send({ channel: 'global' }, 'Welcome to everyone who joined this week 👋');

  const context = await world.browser.newContext({ baseURL: world.url, viewport: VIEWPORT });
  const page = await context.newPage();
  await page.goto('/sign-in');
  // Pictures drawn by the page's canvas: avatars for Grace and Alan, and a chart Alan shares.
  const picture = async (name: string, width: number, height: number, colours: string[]) => {
    const dataUrl = await page.evaluate(
      ([w, h, fills]) => {
        const canvas = document.createElement('canvas');
        canvas.width = w;
        canvas.height = h;
        const context2d = canvas.getContext('2d');
        fills.forEach((fill, i) => {
          if (!context2d) return;
          context2d.fillStyle = fill;
          context2d.fillRect(0, (i * h) / fills.length, w, h / fills.length);
        });
        return canvas.toDataURL('image/png');
      },
      [width, height, colours] as const,
    );
    return new File([Buffer.from(dataUrl.split(',')[1] ?? '', 'base64')], name, { type: 'image/png' });
  };
  for (const [who, colours] of [
    [graceChat, ['#7c3aed', '#f59e0b']],
    [alanChat, ['#0ea5e9', '#10b981', '#f43f5e']],
  ] as const) {
    const avatar = await who.client.media.upload(await picture('me.png', 256, 256, [...colours]), {
      purpose: 'avatar',
    });
    await who.client.api.updateProfile({ body: { avatarMediaId: avatar.id } });
  }
  const chart = await alanChat.client.media.upload(
    await picture('release-burndown.png', 480, 270, ['#2458d6', '#8fb0ff', '#c2410c']),
  );
  await alanChat.chat.send({ channel: group.id }, 'Burndown for the release:', undefined, [chart.id]);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await shoot(page, 'sign-in');

  await signIn(page, ada.email);
  await page.getByRole('link', { name: /^Compiler team/ }).click();
  await expectVisible(page.getByText('I can take the upgrade notes 📝'));
  await expectVisible(page.getByRole('img', { name: 'Open release-burndown.png' }), 30_000);
  // Every picture loaded and the log settled at its newest message.
  await page.waitForFunction(() => {
    const log = document.querySelector<HTMLElement>('[role="log"]');
    const pictures = [...document.querySelectorAll<HTMLImageElement>('[role="log"] img')];
    return (
      log !== null &&
      pictures.every((img) => img.naturalWidth > 0) &&
      log.scrollTop + log.clientHeight >= log.scrollHeight - 4
    );
  });
  await page.waitForTimeout(300);
  await page
    .getByRole('log', { name: 'Messages' })
    .getByRole('article', { name: 'Message from Grace Hopper' })
    .first()
    .getByRole('button', { name: 'Add a reaction' })
    .click();
  await page
    .getByRole('dialog', { name: 'Add a reaction' })
    .getByRole('button', { name: 'thumbs up sign' })
    .click();
  await expectVisible(page.getByRole('button', { name: 'React 👍 (1)' }));
  // Reacting scrolled the first message into view; back to the newest, as a reader would see it.
  await page.getByRole('log', { name: 'Messages' }).evaluate((log) => (log.scrollTop = log.scrollHeight));
  await page.waitForTimeout(300);
  await shoot(page, 'messages-light');

  await page.getByLabel('Theme').selectOption('dark');
  await shoot(page, 'messages-dark');

  await page.getByLabel('Language').selectOption('ar');
  await expectVisible(
    page.getByRole('heading', { name: 'الجميع' }).or(page.getByRole('heading', { name: 'Compiler team' })),
  );
  await shoot(page, 'messages-arabic-rtl');

  await page.getByLabel('اللغة').selectOption('en');
  await page.getByLabel('Theme').selectOption('light');
  await page.getByRole('link', { name: 'Admin console' }).click();
  await expectVisible(page.getByRole('group', { name: 'Actions for Grace Hopper' }));
  await expectVisible(page.getByText(/Failed sign-ins: [1-9]/));
  await shoot(page, 'console', true);

  await context.close();
  for (const { client } of [adaChat, graceChat, alanChat]) client.close();
});
