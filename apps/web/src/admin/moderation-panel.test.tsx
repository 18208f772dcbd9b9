import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '@platform/client';
import '../i18n/i18n.js';
import { SessionProvider } from '../session/session-context.js';
import { ModerationPanel } from './moderation-panel.js';

const HELD = {
  id: '00000000-0000-4000-8000-000000000001',
  conversationId: '00000000-0000-4000-8000-0000000000c1',
  from: '00000000-0000-4000-8000-0000000000a1',
  text: 'this &lt;b&gt;build&lt;/b&gt; is fucking broken',
  terms: ['fuck'],
  at: '2026-12-06T10:00:00.000Z',
};

const asked: string[] = [];

beforeEach(() => {
  asked.length = 0;
  // The network, not our code: answers the moderation routes the way realtime does.
  vi.stubGlobal('fetch', async (input: string, init?: RequestInit) => {
    const url = new URL(input, 'http://app.test');
    asked.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    const json = (body: unknown) =>
      new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
    if (url.pathname === '/chat/moderation/summary') {
      return json({
        pending: 1,
        sentiment: { since: HELD.at, messages: 9, positive: 4, neutral: 3, negative: 2, average: 0.1 },
      });
    }
    if (url.pathname === '/chat/moderation/held') return json({ items: [HELD], nextAfter: null });
    if (url.pathname === `/chat/moderation/held/${HELD.id}/approve`) {
      return json({
        message: {
          id: '00000000-0000-4000-8000-0000000000e1',
          conversationId: HELD.conversationId,
          seq: 3,
          channel: HELD.conversationId,
          from: HELD.from,
          text: HELD.text,
          at: HELD.at,
          editedAt: null,
          deleted: false,
          reactions: {},
        },
      });
    }
    return new Response(null, { status: 404 });
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderPanel() {
  const client = createClient({ baseUrl: 'http://app.test', transport: 'body', crossTab: false });
  void client.auth.adopt({ accessToken: 'token', expiresIn: 900 });
  return render(
    <SessionProvider client={client}>
      <ModerationPanel />
    </SessionProvider>,
  );
}

describe('the moderation panel', () => {
  it('shows the queue and the day’s sentiment, with held text as text', async () => {
    const { container } = renderPanel();
    expect(await screen.findByText('this <b>build</b> is fucking broken')).toBeTruthy();
    expect(container.querySelector('.held-text b')).toBeNull();
    expect(screen.getByText('Flagged for: fuck', { exact: false })).toBeTruthy();
    expect(screen.getByText('Waiting for review').nextElementSibling?.textContent).toBe('1');
    expect(screen.getByText('Negative (24 h)').nextElementSibling?.textContent).toBe('2');
  });

  it('approves a held message: asks realtime, takes it off the queue and says so', async () => {
    renderPanel();
    const approve = await screen.findByRole('button', {
      name: 'Approve: this <b>build</b> is fucking broken',
    });
    fireEvent.click(approve);
    expect(await screen.findByText('Approved and posted.')).toBeTruthy();
    expect(asked).toContain(`POST /chat/moderation/held/${HELD.id}/approve`);
    expect(screen.queryByText('this <b>build</b> is fucking broken')).toBeNull();
    expect(screen.getByText('Waiting for review').nextElementSibling?.textContent).toBe('0');
  });
});
