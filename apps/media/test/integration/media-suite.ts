import { createHash, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { apiClient, checkMetrics, routeTables, seedUser, type SeededUser } from '@platform/testkit';
import { cutUpload, startMediaWorld, takeFromQueue, upload, type MediaWorld } from './harness.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#36c' } })
    .png()
    .toBuffer();

/** The media service's HTTP contract, run once per storage backend. */
export function mediaSuite(backend: 'fs' | 's3'): void {
  let world: MediaWorld;
  let alice: SeededUser;
  let bob: SeededUser;
  let admin: SeededUser;

  beforeAll(async () => {
    world = await startMediaWorld(backend);
    const seed = { orm: world.media.resources.orm, tokens: world.env.tokens };
    [alice, bob, admin] = await Promise.all([
      seedUser(seed),
      seedUser(seed),
      seedUser(seed, { role: 'admin' }),
    ]);
  });
  afterAll(() => world.close());

  /** No temporary object and no extra row: what every refused upload must leave. */
  async function expectNothingLeft(rowsBefore: number) {
    expect(await world.storage.list('tmp/')).toEqual([]);
    expect((await world.rows()).length).toBe(rowsBefore);
  }

  describe('POST /media then GET /media/:id/content', () => {
    it('stores a file and serves it back byte for byte, as a download, with its ETag', async () => {
      const bytes = Buffer.from('hello, media\n'.repeat(1000));
      const res = await upload(world.media.url, alice.accessToken, {
        bytes,
        name: 'notes.txt',
        type: 'text/plain',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name: 'notes.txt',
        mime: 'text/plain',
        size: bytes.length,
        sha256: sha256(bytes),
        purpose: 'attachment',
        status: 'processing',
        url: expect.stringMatching(/^\/media\/[\w-]+\/content\?exp=\d+&sig=[\w-]+$/),
      });
      const content = await fetch(`${world.media.url}/media/${String(res.body.id)}/content`, {
        headers: { authorization: `Bearer ${alice.accessToken}` },
      });
      expect(content.status).toBe(200);
      expect(Buffer.from(await content.arrayBuffer()).equals(bytes)).toBe(true);
      expect(content.headers.get('content-disposition')).toMatch(/^attachment; filename="notes.txt"/);
      expect(content.headers.get('x-content-type-options')).toBe('nosniff');
      expect(content.headers.get('content-security-policy')).toContain('sandbox');
      const again = await fetch(`${world.media.url}/media/${String(res.body.id)}/content`, {
        headers: {
          authorization: `Bearer ${alice.accessToken}`,
          'if-none-match': content.headers.get('etag') ?? '',
        },
      });
      expect(again.status).toBe(304);
    });

    it('answers a Range request with 206 and just those bytes, and 416 past the end', async () => {
      const bytes = Buffer.from([...Array(5000).keys()].map((i) => `${i % 10}`).join(''));
      const { body } = await upload(world.media.url, alice.accessToken, { bytes, name: 'digits.txt' });
      const url = `${world.media.url}/media/${String(body.id)}/content`;
      const auth = { authorization: `Bearer ${alice.accessToken}` };
      const part = await fetch(url, { headers: { ...auth, range: 'bytes=10-19' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 10-19/${bytes.length}`);
      expect(await part.text()).toBe(bytes.subarray(10, 20).toString());
      const past = await fetch(url, { headers: { ...auth, range: `bytes=${bytes.length}-` } });
      expect(past.status).toBe(416);
      expect(past.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
    });

    it('takes a PNG named .exe as the PNG it is, and serves no image before it is cleaned', async () => {
      const res = await upload(world.media.url, alice.accessToken, {
        bytes: await png(40, 30),
        name: 'holiday.exe',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ mime: 'image/png', name: 'holiday.exe', status: 'processing' });
      const api = apiClient(world.media.url);
      const content = await api.get(`/media/${String(res.body.id)}/content`, { token: alice.accessToken });
      expect(content.status).toBe(404);
    });
  });

  describe('POST /media refusals, each leaving nothing behind', () => {
    it.each([
      [
        'HTML declared as a PNG',
        '<!doctype html><script>alert(1)</script>',
        'cat.png',
        'image/png',
        400,
        'type_mismatch',
      ],
      [
        'SVG declared as an image',
        '<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
        'cat.svg',
        'image/svg+xml',
        400,
        'type_mismatch',
      ],
      [
        'an HTML page',
        '<html><body onload="x()"></body></html>',
        'page.html',
        'text/html',
        415,
        'unsupported_media_type',
      ],
      [
        'an unknown binary',
        '\u0000\u0001\u0002binary',
        'blob.bin',
        'application/octet-stream',
        415,
        'unsupported_media_type',
      ],
      ['an empty file', '', 'empty.txt', 'text/plain', 400, 'bad_request'],
    ])('refuses %s', async (_what, text, name, type, status, code) => {
      const before = (await world.rows()).length;
      const res = await upload(world.media.url, alice.accessToken, { bytes: Buffer.from(text), name, type });
      expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      await expectNothingLeft(before);
    });

    it('refuses a file one byte over its kind limit with 413 file_too_large', async () => {
      const before = (await world.rows()).length;
      const limit = world.media.config.MEDIA_MAX_FILE_BYTES;
      const atLimit = await upload(world.media.url, bob.accessToken, {
        bytes: Buffer.alloc(limit, 'a'),
        name: 'a.txt',
      });
      expect(atLimit.status).toBe(201);
      const over = await upload(world.media.url, bob.accessToken, {
        bytes: Buffer.alloc(limit + 1, 'a'),
        name: 'b.txt',
      });
      expect({ status: over.status, code: over.body.code }).toEqual({ status: 413, code: 'file_too_large' });
      await expectNothingLeft(before + 1);
    });

    it('refuses a pixel flood from its header', async () => {
      const before = (await world.rows()).length;
      const flood = await sharp({ create: { width: 2000, height: 2000, channels: 3, background: '#000' } })
        .png({ compressionLevel: 9 })
        .toBuffer();
      const res = await upload(world.media.url, alice.accessToken, { bytes: flood, name: 'flood.png' });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 413, code: 'file_too_large' });
      await expectNothingLeft(before);
    });

    it('refuses two files, no file, a non-multipart body and a text file as an avatar', async () => {
      const before = (await world.rows()).length;
      const auth = { authorization: `Bearer ${alice.accessToken}` };
      const two = new FormData();
      two.append('file', new Blob(['one']), 'one.txt');
      two.append('file', new Blob(['two']), 'two.txt');
      const none = new FormData();
      none.append('purpose', 'attachment');
      for (const body of [two, none]) {
        const res = await fetch(`${world.media.url}/media`, { method: 'POST', headers: auth, body });
        expect(res.status).toBe(400);
        expect(((await res.json()) as { code: string }).code).toBe('bad_request');
      }
      const json = await apiClient(world.media.url).post('/media', {
        token: alice.accessToken,
        body: { file: 'x' },
      });
      expect(json.body.code).toBe('unsupported_media_type');
      const avatar = await upload(
        world.media.url,
        alice.accessToken,
        { bytes: Buffer.from('hi'), name: 'a.txt' },
        { purpose: 'avatar' },
      );
      expect({ status: avatar.status, code: avatar.body.code }).toEqual({
        status: 415,
        code: 'unsupported_media_type',
      });
      await expectNothingLeft(before);
    });

    it('cleans up after a connection cut mid-upload, and keeps serving', async () => {
      const before = (await world.rows()).length;
      await cutUpload(world.media.url, alice.accessToken, 100_000);
      // The service notices the cut asynchronously; its cleanup is done when no temporary object is left.
      const deadline = Date.now() + 5000;
      while ((await world.storage.list('tmp/')).length > 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      await expectNothingLeft(before);
      const res = await upload(world.media.url, alice.accessToken, {
        bytes: Buffer.from('still here'),
        name: 'ok.txt',
      });
      expect(res.status).toBe(201);
    });

    it('refuses an upload over the quota with 413 quota_exceeded', async () => {
      const carol = await seedUser({ orm: world.media.resources.orm, tokens: world.env.tokens });
      const quota = world.media.config.MEDIA_QUOTA_BYTES;
      const chunk = world.media.config.MEDIA_MAX_FILE_BYTES;
      for (let used = 0; used + chunk <= quota; used += chunk) {
        const res = await upload(world.media.url, carol.accessToken, {
          bytes: Buffer.alloc(chunk, 'q'),
          name: 'q.txt',
        });
        expect(res.status).toBe(201);
      }
      const before = (await world.rows()).length;
      const over = await upload(world.media.url, carol.accessToken, {
        bytes: Buffer.alloc(chunk, 'q'),
        name: 'q.txt',
      });
      expect({ status: over.status, code: over.body.code }).toEqual({ status: 413, code: 'quota_exceeded' });
      await expectNothingLeft(before);
    });
  });

  it("registers exactly the contract's routes for media, and nothing else", () => {
    const { registered, declared } = routeTables(world.app, 'media');
    expect(registered).toEqual(declared);
  });

  it('counts bytes in and uploads by outcome, in metrics promtool accepts', async () => {
    const text = await world.media.resources.registry.metrics();
    expect(text).toMatch(/^media_upload_bytes_total\{[^}]*\} [1-9]\d*/m);
    expect(text).toMatch(/^media_uploads_total\{[^}]*outcome="stored"[^}]*\} [1-9]/m);
    expect(text).toMatch(/^media_uploads_total\{[^}]*outcome="file_too_large"[^}]*\} [1-9]/m);
    await checkMetrics(text);
  });

  describe('who may read and delete', () => {
    it("hides a file from other users (404) and lets the owner or an admin delete it, the admin's audited", async () => {
      const api = apiClient(world.media.url);
      const { body } = await upload(world.media.url, alice.accessToken, {
        bytes: Buffer.from('secret'),
        name: 's.txt',
      });
      const id = String(body.id);
      expect((await api.get(`/media/${id}`, { token: bob.accessToken })).status).toBe(404);
      expect((await api.get(`/media/${id}/content`, { token: bob.accessToken })).status).toBe(404);
      expect((await api.delete(`/media/${id}`, { token: bob.accessToken })).status).toBe(404);
      expect((await api.get(`/media/${id}`, { token: alice.accessToken })).status).toBe(200);
      expect((await api.delete(`/media/${id}`, { token: admin.accessToken })).status).toBe(204);
      expect((await api.get(`/media/${id}`, { token: alice.accessToken })).status).toBe(404);
      expect(await world.storage.list(`media/${id}/`)).toEqual([]);
      const audits = await takeFromQueue(world, 'logs', (list) =>
        list.some((e) => e.type === 'log.audit' && e.payload.action === 'media.delete'),
      );
      expect(audits.map((e) => e.payload)).toContainEqual(
        expect.objectContaining({ action: 'media.delete', targetId: id, actorId: admin.id }),
      );
    });

    it('lets the members of a conversation read a file sent in it, nobody else, not while its owner is suspended, and not after the message is deleted', async () => {
      const carol = await seedUser({ orm: world.media.resources.orm, tokens: world.env.tokens });
      const { body } = await upload(world.media.url, alice.accessToken, {
        bytes: Buffer.from('for bob'),
        name: 'b.txt',
      });
      const id = String(body.id);
      // What realtime stores for a direct message from alice to bob carrying the file.
      const em = world.media.resources.orm.em.fork();
      const [conversationId, messageId] = [randomUUID(), randomUUID()];
      await em.execute(`insert into conversations (id, kind, direct_key) values (?, 'direct', ?)`, [
        conversationId,
        [alice.id, bob.id].sort().join(':'),
      ]);
      await em.execute(`insert into conversation_members (conversation_id, user_id) values (?, ?), (?, ?)`, [
        conversationId,
        alice.id,
        conversationId,
        bob.id,
      ]);
      await em.execute(
        `insert into chat_messages (id, conversation_id, seq, author_id, client_id, body) values (?, ?, 1, ?, ?, '')`,
        [messageId, conversationId, alice.id, randomUUID()],
      );
      await em.execute(
        `insert into chat_message_attachments (message_id, media_id, position) values (?, ?, 0)`,
        [messageId, id],
      );
      const api = apiClient(world.media.url);
      const read = async (who: SeededUser) =>
        (await api.get(`/media/${id}/content`, { token: who.accessToken })).status;
      expect(await read(bob)).toBe(200);
      expect(await read(carol)).toBe(404);
      await em.execute(`update users set status = 'suspended' where id = ?`, [alice.id]);
      expect(await read(bob)).toBe(404);
      await em.execute(`update users set status = 'active' where id = ?`, [alice.id]);
      expect(await read(bob)).toBe(200);
      await em.execute(`update chat_messages set deleted_at = now() where id = ?`, [messageId]);
      expect(await read(bob)).toBe(404);
      expect(await read(alice)).toBe(200);
    });

    it('records a media.uploaded event in the outbox with every upload', async () => {
      const { body } = await upload(world.media.url, bob.accessToken, {
        bytes: Buffer.from('event'),
        name: 'e.txt',
      });
      const events = await takeFromQueue(world, 'media', (list) =>
        list.some((e) => e.payload.mediaId === body.id),
      );
      const payloads = events.map((e) => e.payload);
      expect(payloads).toContainEqual({
        userId: bob.id,
        mediaId: body.id,
        purpose: 'attachment',
        kind: 'file',
        mime: 'text/plain',
      });
    });
  });
}
