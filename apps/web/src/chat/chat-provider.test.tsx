import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { useEffect } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '@platform/client';
import { ScriptedSocket } from '@platform/client/testing';
import '../i18n/i18n.js';
import type { Media, Message } from '../sdk.js';
import { SessionProvider, useSession } from '../session/session-context.js';
import { Attachments } from './attachment-view.js';
import { ChatProvider, useChat } from './chat-provider.js';

const me = '00000000-0000-4000-8000-000000000001';
const cy = '00000000-0000-4000-8000-000000000002';
const conversationId = '00000000-0000-4000-8000-0000000000c1';
const pictureId = '00000000-0000-4000-8000-0000000000f1';

const picture: Media = {
  id: pictureId,
  name: 'sunset.png',
  mime: 'image/png',
  size: 2048,
  sha256: 'a'.repeat(64),
  purpose: 'attachment',
  status: 'processing',
  url: `/media/${pictureId}/content?exp=1&sig=a`,
  createdAt: '2026-12-07T10:00:00.000Z',
};
const ready: Media = {
  ...picture,
  status: 'ready',
  width: 640,
  height: 480,
  thumbnailUrl: `/media/${pictureId}/thumbnail?exp=1&sig=b`,
};
const sent: Message = {
  id: '00000000-0000-4000-8000-0000000000e1',
  conversationId,
  seq: 1,
  from: cy,
  to: me,
  text: 'The view from here',
  at: '2026-12-07T10:00:01.000Z',
  editedAt: null,
  deleted: false,
  reactions: {},
  attachments: [picture],
};

/** The newest socket the SDK made, once it made it. */
async function nextSocket(count: number): Promise<ScriptedSocket> {
  await waitFor(() => expect(ScriptedSocket.all).toHaveLength(count));
  const socket = ScriptedSocket.all.at(-1);
  if (!socket) throw new Error('no socket');
  return socket;
}

/** What media answers for the picture (`GET /media/:id`): it turns ready when the test says so. */
let mediaNow: Media = picture;
const asked: string[] = [];

beforeEach(() => {
  ScriptedSocket.reset();
  mediaNow = picture;
  asked.length = 0;
  // The network, not our code: auth, realtime's REST pages and media as they answer.
  vi.stubGlobal('fetch', async (input: string, init?: RequestInit) => {
    const url = new URL(input, 'http://app.test');
    asked.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    const json = (body: unknown) =>
      new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
    switch (url.pathname) {
      case '/token/refresh':
        return json({
          accessToken: 'token',
          refreshToken: 'refresh',
          tokenType: 'Bearer',
          expiresIn: 900,
          user: { id: me, email: 'di@media.test', displayName: 'Di', role: 'user' },
        });
      case '/chat/conversations':
        return json({ items: [] });
      case '/notifications':
        return json({ items: [] });
      case `/chat/conversations/${conversationId}/messages`:
        return json({ messages: [sent], hasMore: false });
      case `/media/${pictureId}`:
        return json(mediaNow);
      default:
        return new Response(null, { status: 404 });
    }
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** The conversation's files, as the log shows them. */
function Files() {
  const { state, actions } = useChat();
  useEffect(() => void actions.loadHistory(conversationId), [actions]);
  return (
    <>
      {(state.messages[conversationId] ?? []).map((m) => (
        <Attachments key={m.id} items={m.attachments ?? []} />
      ))}
    </>
  );
}

async function renderChat() {
  const client = createClient({
    baseUrl: 'http://app.test',
    transport: 'body',
    crossTab: false,
    realtime: { WebSocket: ScriptedSocket, backoff: { baseMs: 1, maxMs: 1 } },
  });
  // An expired token and a stored refresh token: the page's restore signs Di in, as after a reload.
  await client.auth.adopt({ accessToken: 'old', expiresIn: 0, refreshToken: 'refresh' });
  return render(
    <SessionProvider client={client}>
      <Gate />
    </SessionProvider>,
  );
}

/** The chat needs a signed-in user, as behind RequireSession. */
function Gate() {
  const { user } = useSession();
  if (!user) return null;
  return (
    <ChatProvider>
      <Files />
    </ChatProvider>
  );
}

const mediaReads = () => asked.filter((line) => line === `GET /media/${pictureId}`).length;
const placeholder = () => screen.findByText('sunset.png is being processed…');
const thumbnail = () => screen.findByRole('img', { name: 'Open sunset.png' });

describe('attachment readiness in the chat', () => {
  it('shows the thumbnail when chat.attachment arrives, without asking media again', async () => {
    await renderChat();
    const socket = await nextSocket(1);
    await placeholder();
    act(() => socket.open());
    // The new socket reads what is still processing once: still processing.
    await waitFor(() => expect(mediaReads()).toBe(1));
    act(() =>
      socket.receive({ type: 'chat.attachment', id: sent.id, conversationId, seq: 1, attachment: ready }),
    );
    expect((await thumbnail()).getAttribute('src')).toBe(ready.thumbnailUrl);
    expect(screen.queryByText('sunset.png is being processed…')).toBeNull();
    // The news was enough: no poll followed.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mediaReads()).toBe(1);
  });

  it('reads a file still processing once after a reconnect, when its news came while the socket was down', async () => {
    await renderChat();
    const first = await nextSocket(1);
    await placeholder();
    act(() => first.open());
    await waitFor(() => expect(mediaReads()).toBe(1));
    // The socket dies; worker-media finishes the picture meanwhile, and its news reaches no one.
    act(() => first.drop());
    mediaNow = ready;
    const second = await nextSocket(2);
    act(() => second.open());
    expect((await thumbnail()).getAttribute('src')).toBe(ready.thumbnailUrl);
    expect(mediaReads()).toBe(2);
  });
});
