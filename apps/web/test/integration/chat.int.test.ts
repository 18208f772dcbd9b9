import type { Page } from 'playwright-core';
import { browsers, expectVisible, PASSWORD, registered, send, signIn } from './browser-helpers.js';
import { startStackWorld, type StackWorld } from './stack-world.js';

let world: StackWorld;
beforeAll(async () => {
  world = await startStackWorld();
}, 60_000);
afterAll(() => world?.close());

const openBrowser = browsers(() => world);
const log = (page: Page) => page.getByRole('log', { name: 'Messages' });

/** Sends `count` direct messages from `email` to `to` through the SDK's socket, each acknowledged. */
async function seedDirect(email: string, to: string, texts: string[]): Promise<void> {
  const client = world.nodeClient();
  await client.auth.login({ email, password: PASSWORD });
  const chat = client.realtime();
  chat.connect();
  for (const text of texts) await chat.send({ to }, text);
  await client.auth.logout();
  client.close();
}

describe('chat in the browser', () => {
  it('delivers a direct message live, shows typing, turns ticks to read and sees the partner leave', async () => {
    const ada = await registered(world, 'ada@chat.test', 'Ada');
    const bob = await registered(world, 'bob@chat.test', 'Bob');
    const adaPage = await openBrowser();
    const bobPage = await openBrowser();
    await signIn(adaPage.page, ada.email);
    await signIn(bobPage.page, bob.email);

    await adaPage.page.goto(`/messages/@${bob.id}`);
    await send(adaPage.page, 'Hi Bob, lunch?');
    const mine = log(adaPage.page).getByRole('article', { name: 'Message from You' });
    await expectVisible(mine.getByRole('img', { name: /^(sent|delivered)$/ }));

    // Bob's list gets the new conversation without a reload, with its unread count.
    const conversation = bobPage.page.getByRole('link', {
      name: new RegExp(`^${ada.displayName}.*1 unread`),
    });
    await conversation.click();
    await expectVisible(log(bobPage.page).getByText('Hi Bob, lunch?'));
    // Bob has read it: Ada's tick says so, live.
    await expectVisible(mine.getByRole('img', { name: 'read' }));

    // Ada sees Bob online in the conversation's header, then typing.
    const header = adaPage.page.getByRole('region', { name: bob.displayName });
    await expectVisible(header.getByRole('img', { name: 'online' }));
    await bobPage.page.getByLabel('Message', { exact: true }).pressSequentially('Sure', { delay: 20 });
    await expectVisible(adaPage.page.getByText(`${bob.displayName} typing…`));

    await bobPage.page.close();
    await expectVisible(header.getByRole('img', { name: 'offline' }), 15_000);
    expect([...adaPage.errors, ...bobPage.errors]).toEqual([]);
  }, 60_000);

  it('loads older messages while scrolling up, and a search hit opens the conversation at that message', async () => {
    const cy = await registered(world, 'cy@chat.test', 'Cy');
    const di = await registered(world, 'di@chat.test', 'Di');
    const texts = Array.from({ length: 130 }, (_, i) => `history ${i + 1}`);
    texts[4] = 'history 5 with the needle-zebra in it';
    await seedDirect(cy.email, di.id, texts);

    const { page, errors } = await openBrowser();
    await signIn(page, di.email);
    await page.getByRole('link', { name: new RegExp(`^${cy.displayName}`) }).click();
    await expectVisible(log(page).getByText('history 130', { exact: true }));
    // Only the newest page is loaded, and only what is near the viewport is in the DOM.
    expect(await log(page).getByText('history 1', { exact: true }).count()).toBe(0);
    expect(await log(page).getByRole('article').count()).toBeLessThan(60);

    await page.waitForFunction(
      () => {
        const element = document.querySelector<HTMLElement>('[role="log"]');
        if (!element) return false;
        element.scrollTop = 0;
        return [...element.querySelectorAll('p.text')].some((p) => p.textContent === 'history 1');
      },
      undefined,
      { polling: 250, timeout: 20_000 },
    );
    await expectVisible(log(page).getByText('history 1', { exact: true }));

    // A fresh page: search finds the old message and opens its conversation around it, highlighted.
    await page.goto('/messages');
    await page.getByRole('searchbox', { name: 'Search messages' }).fill('needle-zebra');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: /needle-zebra/ }).click();
    const hit = log(page).locator('article[aria-current="true"]');
    await expectVisible(hit.getByText('history 5 with the needle-zebra in it'));
    await expectVisible(log(page).getByText('history 6', { exact: true }));
    expect(await log(page).getByText('history 130', { exact: true }).count()).toBe(0);
    expect(errors).toEqual([]);
  }, 90_000);

  it('creates a group, invites a member who sees it live, reacts with the picker, changes a role and leaves', async () => {
    const eve = await registered(world, 'eve@chat.test', 'Eve');
    const fay = await registered(world, 'fay@chat.test', 'Fay');
    const evePage = await openBrowser();
    const fayPage = await openBrowser();
    await signIn(evePage.page, eve.email);
    await signIn(fayPage.page, fay.email);

    await evePage.page.getByRole('button', { name: 'New group' }).click();
    const dialog = evePage.page.getByRole('dialog', { name: 'New group' });
    await dialog.getByLabel('Group name').fill('Design crew');
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await expectVisible(evePage.page.getByRole('heading', { name: 'Design crew' }));

    await evePage.page.getByRole('button', { name: 'Members (1)' }).click();
    const members = evePage.page.getByRole('region', { name: 'Members' });
    await members.getByLabel('User id').fill(fay.id);
    await members.getByRole('button', { name: 'Add' }).click();
    await expectVisible(members.getByText('Fay'));
    await send(evePage.page, 'Welcome to the crew');

    // Fay's list shows the group without a reload.
    await fayPage.page.getByRole('link', { name: /^Design crew/ }).click();
    await expectVisible(log(fayPage.page).getByText('Welcome to the crew'));
    await log(fayPage.page).getByRole('button', { name: 'Add a reaction' }).click();
    const picker = fayPage.page.getByRole('dialog', { name: 'Add a reaction' });
    await picker.getByLabel('Find an emoji').fill('party popper');
    await picker.getByRole('button', { name: 'party popper' }).click();
    await expectVisible(log(evePage.page).getByRole('button', { name: 'React 🎉 (1)' }));
    // Fay's own reaction is still hers after a reload (the history says which are the reader's).
    await expectVisible(log(fayPage.page).getByRole('button', { name: 'React 🎉 (1)', pressed: true }));
    await fayPage.page.reload();
    await expectVisible(log(fayPage.page).getByRole('button', { name: 'React 🎉 (1)', pressed: true }));
    await expectVisible(log(evePage.page).getByRole('button', { name: 'React 🎉 (1)', pressed: false }));

    // The owner makes Fay an owner too; Fay leaves, and the group goes from her list and from the members.
    await members.getByRole('combobox', { name: 'Role of Fay' }).selectOption('owner');
    await expectVisible(members.getByText('(owner)').nth(1));
    await fayPage.page.getByRole('button', { name: 'Leave group' }).click();
    await fayPage.page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
    await fayPage.page.getByRole('link', { name: /^Design crew/ }).waitFor({ state: 'detached' });
    await expectVisible(evePage.page.getByRole('button', { name: 'Members (1)' }));
    expect([...evePage.errors, ...fayPage.errors]).toEqual([]);
  }, 60_000);

  it('keeps a conversation of 10 000 messages usable: a bounded number of rows in the DOM while older pages load', async () => {
    const gus = await registered(world, 'gus@chat.test', 'Gus');
    const hal = await registered(world, 'hal@chat.test', 'Hal');
    const client = world.nodeClient();
    await client.auth.login({ email: gus.email, password: PASSWORD });
    const chat = client.realtime();
    chat.connect();
    const { conversationId } = await chat.send({ to: hal.id }, 'message 1');
    // 9 999 more straight into the tables (sending them one by one would take minutes), a minute apart.
    await world.sql(
      `insert into chat_messages (id, conversation_id, seq, author_id, client_id, body, created_at)
       select gen_random_uuid(), ?, s, ?, 'bulk-' || s, 'message ' || s,
              now() - interval '1 minute' * (10001 - s)
       from generate_series(2, 10000) s`,
      [conversationId, gus.id],
    );
    await world.sql('update conversations set last_seq = 10000 where id = ?', [conversationId]);
    // One more through the socket: stored and announced as usual (and any cached page dropped).
    await chat.send({ to: hal.id }, 'the newest message');
    await client.auth.logout();
    client.close();

    const { page, errors } = await openBrowser();
    await signIn(page, hal.email);
    await page.getByRole('link', { name: /^Gus/ }).click();
    await expectVisible(log(page).getByText('the newest message'));
    // Scroll up through twenty pages of history; each step loads more, the DOM keeps only what is near the view.
    const steps = await page.evaluate(async () => {
      const element = document.querySelector<HTMLElement>('[role="log"]');
      const seen: { articles: number; height: number; oldest: number }[] = [];
      const oldest = () =>
        Math.min(
          ...[...document.querySelectorAll('[role="log"] p.text')].map((p) =>
            Number(/^message (\d+)$/.exec(p.textContent ?? '')?.[1] ?? Infinity),
          ),
        );
      for (let i = 0; i < 400 && element && oldest() > 9000; i++) {
        element.scrollTop = 0;
        await new Promise((resolve) => setTimeout(resolve, 100));
        seen.push({
          articles: element.querySelectorAll('article').length,
          height: element.scrollHeight,
          oldest: oldest(),
        });
      }
      return seen;
    });
    const last = steps.at(-1);
    expect(last?.oldest).toBeLessThanOrEqual(9000);
    expect(Math.max(...steps.map((s) => s.articles))).toBeLessThan(80);
    // A thousand messages are loaded (the log's height grew with them) while the DOM stayed small.
    expect(last?.height ?? 0).toBeGreaterThan(1000 * 40);
    await expectVisible(log(page).getByText('message 9000', { exact: true }));
    expect(errors).toEqual([]);
  }, 120_000);
});
