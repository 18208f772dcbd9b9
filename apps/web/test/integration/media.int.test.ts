import type { Page } from 'playwright-core';
import { browsers, expectVisible, registered, send, signIn } from './browser-helpers.js';
import { startStackWorld, type StackWorld } from './stack-world.js';

let world: StackWorld;
beforeAll(async () => {
  world = await startStackWorld();
}, 60_000);
afterAll(() => world?.close());

const openBrowser = browsers(() => world);
const log = (page: Page) => page.getByRole('log', { name: 'Messages' });

/** A PNG of one colour, drawn by the page's own canvas (no image library in the test). */
async function png(page: Page, width: number, height: number, colour: string): Promise<Buffer> {
  const dataUrl = await page.evaluate(
    ([w, h, fill]) => {
      const canvas = document.createElement('canvas');
      canvas.width = Number(w);
      canvas.height = Number(h);
      const context = canvas.getContext('2d');
      if (context) {
        context.fillStyle = String(fill);
        context.fillRect(0, 0, Number(w), Number(h));
      }
      return canvas.toDataURL('image/png');
    },
    [width, height, colour] as const,
  );
  return Buffer.from(dataUrl.split(',')[1] ?? '', 'base64');
}

/** Waits until an <img> has loaded real pixels (a broken or refused image has none). */
async function loaded(page: Page, selector: string): Promise<void> {
  await page.waitForFunction(
    (css) =>
      [...document.querySelectorAll<HTMLImageElement>(css)].some(
        (img) => img.complete && img.naturalWidth > 0,
      ),
    selector,
    { polling: 250, timeout: 30_000 },
  );
}

/**
 * What a page hears about files: its reads of a file's metadata (`GET /media/{id}`, which a poll
 * would be) and the names in the `chat.attachment` frames its socket receives. Set up before the
 * page opens its socket.
 */
function attachmentTraffic(page: Page): { reads: string[]; news: string[] } {
  const traffic = { reads: [] as string[], news: [] as string[] };
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (request.method() === 'GET' && /^\/media\/[\w-]+$/.test(pathname)) traffic.reads.push(pathname);
  });
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => {
      const frame = typeof payload === 'string' ? (JSON.parse(payload) as { type?: string }) : {};
      if (frame.type === 'chat.attachment')
        traffic.news.push((frame as { attachment: { name: string } }).attachment.name);
    }),
  );
  return traffic;
}

describe('pictures and files in the browser', () => {
  it('sets an avatar on the profile page, and the other user sees it beside her message', async () => {
    const ada = await registered(world, 'ada@media.test', 'Ada Lovelace');
    const bob = await registered(world, 'bob@media.test', 'Bob');
    const adaPage = await openBrowser();
    await signIn(adaPage.page, ada.email);
    await adaPage.page.getByRole('link', { name: 'Profile' }).click();
    await expectVisible(adaPage.page.locator('.avatar-editor .avatar.initials').getByText('AL'));
    await adaPage.page.getByLabel('Upload a picture').setInputFiles({
      name: 'me.png',
      mimeType: 'image/png',
      buffer: await png(adaPage.page, 300, 200, '#c36'),
    });
    await expectVisible(adaPage.page.getByText('Picture saved.'), 40_000);
    await loaded(adaPage.page, 'img[alt="Picture of Ada Lovelace"]');
    const src = await adaPage.page.getByRole('img', { name: 'Picture of Ada Lovelace' }).getAttribute('src');
    // A signed same-origin URL: no token in it, and the CSP let it load.
    expect(src).toMatch(/^\/media\/[\w-]+\/thumbnail\?.*sig=/);

    await adaPage.page.goto(`/messages/@${bob.id}`);
    await send(adaPage.page, 'Look, a picture of me');
    const bobPage = await openBrowser();
    await signIn(bobPage.page, bob.email);
    // Bob's list and log name Ada (GET /people) and show her picture.
    await bobPage.page.getByRole('link', { name: /^Ada Lovelace/ }).click();
    const message = log(bobPage.page).getByRole('article', { name: 'Message from Ada Lovelace' });
    await expectVisible(message.getByText('Look, a picture of me'));
    await loaded(bobPage.page, '[role="log"] article img.avatar');
    expect([...adaPage.errors, ...bobPage.errors]).toEqual([]);
  }, 120_000);

  it('sends a picture in a direct message: the recipient sees it processing, then its thumbnail by the chat.attachment frame, and can open it', async () => {
    const cy = await registered(world, 'cy@media.test', 'Cy');
    const di = await registered(world, 'di@media.test', 'Di');
    const cyPage = await openBrowser();
    const diPage = await openBrowser();
    const cyHears = attachmentTraffic(cyPage.page);
    const diHears = attachmentTraffic(diPage.page);
    await signIn(cyPage.page, cy.email);
    await signIn(diPage.page, di.email);
    // worker-media waits, so the message is stored and shown while its files are still processing.
    await world.mediaWorker.hold();

    await cyPage.page.goto(`/messages/@${di.id}`);
    const chooser = cyPage.page.waitForEvent('filechooser');
    await cyPage.page.getByRole('button', { name: 'Attach files' }).click();
    await (
      await chooser
    ).setFiles([
      { name: 'sunset.png', mimeType: 'image/png', buffer: await png(cyPage.page, 640, 480, '#f90') },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('meeting at noon\n') },
    ]);
    const files = cyPage.page.getByRole('list', { name: 'Files to send' });
    await expectVisible(files.getByText('sunset.png, ready to send'), 30_000);
    await expectVisible(files.getByText('notes.txt, ready to send'), 30_000);
    await cyPage.page.getByLabel('Message', { exact: true }).fill('The view from here');
    await cyPage.page.getByRole('button', { name: 'Send' }).click();

    await diPage.page.getByRole('link', { name: /^Cy/ }).click();
    const message = log(diPage.page).getByRole('article', { name: 'Message from Cy' });
    await expectVisible(message.getByText('The view from here'));
    await expectVisible(message.getByRole('status').getByText('sunset.png is being processed…'));
    // worker-media makes the thumbnail; realtime's chat.attachment frame brings it to both pages, as a
    // link to the full picture, without a reload and without a single read of the file's metadata.
    await world.mediaWorker.release();
    const thumbnail = message.getByRole('img', { name: 'Open sunset.png' });
    await expectVisible(thumbnail, 40_000);
    await expectVisible(log(cyPage.page).getByRole('img', { name: 'Open sunset.png' }), 10_000);
    expect(diHears.news).toContain('sunset.png');
    expect(cyHears.news).toContain('sunset.png');
    await loaded(diPage.page, '[role="log"] .attachment.image img');
    expect(await thumbnail.getAttribute('src')).toMatch(/^\/media\/[\w-]+\/thumbnail\?.*sig=/);
    const full = await message.getByRole('link', { name: 'Open sunset.png' }).getAttribute('href');
    expect(full).toMatch(/^\/media\/[\w-]+\/content\?.*sig=/);
    const opened = await diPage.context.request.get(full ?? '');
    expect({ status: opened.status(), type: opened.headers()['content-type'] }).toEqual({
      status: 200,
      type: 'image/png',
    });
    await expectVisible(message.getByRole('link', { name: /^Download notes\.txt \(16 byte/ }));
    expect({ cy: cyHears.reads, di: diHears.reads }).toEqual({ cy: [], di: [] });
    expect([...cyPage.errors, ...diPage.errors]).toEqual([]);
  }, 120_000);
});
