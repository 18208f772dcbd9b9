import type { ServerFrame } from '@platform/contracts';
import { createClient } from './client.js';
import type { RealtimeClient } from './realtime.js';
import { ScriptedSocket } from './testing.js';

// The socket's events as an app follows them, over a scripted WebSocket; the real socket is in test/integration.

async function socketNumber(n: number): Promise<ScriptedSocket> {
  for (let i = 0; i < 100 && ScriptedSocket.all.length < n; i++)
    await new Promise((resolve) => setTimeout(resolve, 5));
  const socket = ScriptedSocket.all[n - 1];
  if (!socket) throw new Error(`socket ${n} was never opened`);
  return socket;
}

const attachment: Extract<ServerFrame, { type: 'chat.attachment' }> = {
  type: 'chat.attachment',
  id: '00000000-0000-4000-8000-0000000000e1',
  conversationId: '00000000-0000-4000-8000-0000000000c1',
  seq: 4,
  attachment: {
    id: '00000000-0000-4000-8000-0000000000f1',
    name: 'sunset.png',
    mime: 'image/png',
    size: 2048,
    sha256: 'a'.repeat(64),
    purpose: 'attachment',
    status: 'ready',
    width: 640,
    height: 480,
    url: '/media/00000000-0000-4000-8000-0000000000f1/content?exp=1&sig=a',
    thumbnailUrl: '/media/00000000-0000-4000-8000-0000000000f1/thumbnail?exp=1&sig=b',
    createdAt: '2026-12-07T10:00:00.000Z',
  },
};

let realtime: RealtimeClient | undefined;
beforeEach(() => {
  ScriptedSocket.reset();
});
afterEach(() => realtime?.close());

async function connected(): Promise<RealtimeClient> {
  const client = createClient({
    baseUrl: 'http://api.test',
    transport: 'body',
    crossTab: false,
    realtime: { WebSocket: ScriptedSocket, backoff: { baseMs: 1, maxMs: 1 } },
  });
  await client.auth.adopt({ accessToken: 'token', expiresIn: 900 });
  realtime = client.realtime();
  return realtime;
}

describe('the realtime client', () => {
  it('passes on a file’s news (chat.attachment) as an event, with its fresh metadata', async () => {
    const chat = await connected();
    const heard: unknown[] = [];
    chat.on('chat.attachment', (frame) => heard.push(frame));
    chat.connect();
    const socket = await socketNumber(1);
    socket.open();
    socket.receive(attachment);
    expect(heard).toEqual([attachment]);
  });

  it('says `open` again on the socket after a reconnect, where an app reads what it may have missed', async () => {
    const chat = await connected();
    const events: string[] = [];
    chat.on('open', () => events.push('open'));
    chat.on('close', ({ retryInMs }) => events.push(retryInMs === null ? 'closed' : 'retrying'));
    chat.connect();
    (await socketNumber(1)).open();
    (await socketNumber(1)).drop();
    (await socketNumber(2)).open();
    expect(events).toEqual(['open', 'retrying', 'open']);
  });
});
