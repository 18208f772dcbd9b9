import sharp from 'sharp';
import { apiClient, seedUser, type SeededUser } from '@platform/testkit';
import { INSECURE_DEV_MEDIA_URL_SECRET, MediaUrlSigner } from '@platform/tokens';
import { startMediaWorld, upload, type MediaWorld } from './harness.js';

/** Signed media URLs over real HTTP: what a browser's `<img src>` or download link does, without a token. */
describe('signed media URLs', () => {
  let world: MediaWorld;
  let alice: SeededUser;

  beforeAll(async () => {
    world = await startMediaWorld('fs');
    alice = await seedUser({ orm: world.media.resources.orm, tokens: world.env.tokens });
  });
  afterAll(() => world.close());

  const get = (url: string, headers: Record<string, string> = {}) =>
    fetch(`${world.media.url}${url}`, { headers });
  const stored = async (text: string) => {
    const res = await upload(world.media.url, alice.accessToken, { bytes: Buffer.from(text), name: 'n.txt' });
    expect(res.status).toBe(201);
    return { id: String(res.body.id), url: String(res.body.url) };
  };
  const sigOf = (url: string) => new URL(url, 'http://x').search;

  it('serves the bytes of a signed URL without a token, with Range, ETag and the safety headers', async () => {
    const file = await stored('0123456789');
    const whole = await get(file.url);
    expect(whole.status).toBe(200);
    expect(await whole.text()).toBe('0123456789');
    expect(whole.headers.get('x-content-type-options')).toBe('nosniff');
    expect(whole.headers.get('content-security-policy')).toContain('sandbox');
    expect(whole.headers.get('content-disposition')).toMatch(/^attachment/);
    const part = await get(file.url, { range: 'bytes=2-4' });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe('234');
    expect((await get(file.url, { 'if-none-match': whole.headers.get('etag') ?? '' })).status).toBe(304);
  });

  it('hands out the same URL again within its window, so browsers can cache it', async () => {
    const file = await stored('again');
    const api = apiClient(world.media.url);
    expect((await api.get(`/media/${file.id}`, { token: alice.accessToken })).body.url).toBe(file.url);
  });

  it('answers a tampered, expired or borrowed signature with the 404 of a missing file', async () => {
    const [file, other] = await Promise.all([stored('mine'), stored('other')]);
    const expired = new MediaUrlSigner(INSECURE_DEV_MEDIA_URL_SECRET, {
      ttlSeconds: 900,
      now: () => Date.now() - 3 * 3600_000,
    }).sign(`/media/${file.id}/content`);
    const tampered = file.url.replace(/sig=(.)/, (_, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`);
    const laterExp = file.url.replace(/exp=(\d+)/, (_, exp: string) => `exp=${Number(exp) + 1}`);
    for (const url of [
      tampered,
      laterExp,
      expired,
      `/media/${other.id}/content${sigOf(file.url)}`,
      `/media/${file.id}/thumbnail${sigOf(file.url)}`,
      `/media/${file.id}/content?exp=9999999999`,
      `/media/${file.id}/content?exp=soon&sig=x`,
    ]) {
      const res = await get(url);
      expect({ url, status: res.status }).toEqual({ url, status: 404 });
      expect((await res.json()) as unknown).toMatchObject({ code: 'not_found' });
    }
    const unsigned = await get(`/media/${file.id}/content`);
    expect(unsigned.status).toBe(401);
    expect((await get(file.url)).status).toBe(200);
  });

  it('closes a valid signature once the file is deleted or its owner is suspended', async () => {
    const api = apiClient(world.media.url);
    const [gone, hidden] = await Promise.all([stored('gone'), stored('hidden')]);
    expect((await api.delete(`/media/${gone.id}`, { token: alice.accessToken })).status).toBe(204);
    expect((await get(gone.url)).status).toBe(404);
    const em = world.media.resources.orm.em.fork();
    await em.execute(`update users set status = 'suspended' where id = ?`, [alice.id]);
    try {
      expect((await get(hidden.url)).status).toBe(404);
    } finally {
      await em.execute(`update users set status = 'active' where id = ?`, [alice.id]);
    }
    expect((await get(hidden.url)).status).toBe(200);
  });

  it('keeps the bearer token working for the unsigned path', async () => {
    const file = await stored('token');
    const res = await get(`/media/${file.id}/content`, { authorization: `Bearer ${alice.accessToken}` });
    expect(res.status).toBe(200);
    const image = await upload(world.media.url, alice.accessToken, {
      bytes: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
        .png()
        .toBuffer(),
      name: 'a.png',
    });
    // Still processing (no worker here): signed or not, an image has no bytes to serve yet.
    expect((await get(String(image.body.url))).status).toBe(404);
  });
});
