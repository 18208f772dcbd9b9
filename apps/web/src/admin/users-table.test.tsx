import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '@platform/client';
import '../i18n/i18n.js';
import { SessionProvider } from '../session/session-context.js';
import { UsersTable } from './users-table.js';

/** The directory as GET /admin/users would page it: 45 users, 20 a page. */
const everyone = Array.from({ length: 45 }, (_, i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  email: `user${i}@example.test`,
  role: 'user',
  displayName: `User ${i}`,
  avatarUrl: null,
  status: null,
  accountStatus: 'active',
  emailVerified: true,
  createdAt: '2026-03-01T00:00:00.000Z',
}));

const asked: URL[] = [];

beforeEach(() => {
  asked.length = 0;
  // The network, not our code: answers the directory route the way the admin service does.
  vi.stubGlobal('fetch', async (input: string) => {
    const url = new URL(input, 'http://app.test');
    asked.push(url);
    const page = Number(url.searchParams.get('page') ?? '1');
    const size = Number(url.searchParams.get('size') ?? '20');
    const q = url.searchParams.get('q');
    const matching = everyone.filter((u) => !q || u.displayName.includes(q));
    const body = {
      users: matching.slice((page - 1) * size, page * size),
      page,
      size,
      total: matching.length,
    };
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** A signed-in SDK client: the table's calls need an access token, which the stub does not check. */
function signedInClient() {
  const client = createClient({ baseUrl: 'http://app.test', transport: 'body', crossTab: false });
  void client.auth.adopt({ accessToken: 'token', expiresIn: 900 });
  return client;
}

function renderTable(canWrite: boolean) {
  return render(
    <SessionProvider client={signedInClient()}>
      <UsersTable canWrite={canWrite} />
    </SessionProvider>,
  );
}

describe('the users table', () => {
  it('pages through the directory and stops at the last page', async () => {
    renderTable(false);
    expect(await screen.findByText('Page 1 of 3 (45 users)')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await screen.findByText('Page 2 of 3 (45 users)');
    // The page number moves at the click; its rows arrive with the answer.
    expect(await screen.findByRole('rowheader', { name: 'User 20' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await screen.findByText('Page 3 of 3 (45 users)');
    expect((screen.getByRole('button', { name: 'Next page' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('searches from page 1 again', async () => {
    renderTable(false);
    await screen.findByText('Page 1 of 3 (45 users)');
    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await screen.findByText('Page 2 of 3 (45 users)');
    fireEvent.change(screen.getByLabelText('Search name or email'), { target: { value: 'User 4' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await screen.findByText('Page 1 of 1 (6 users)');
    expect(asked.at(-1)?.searchParams.get('page')).toBe('1');
    expect(asked.at(-1)?.searchParams.get('q')).toBe('User 4');
  });

  it('offers managers no controls, and admins the invitation and each row’s changes', async () => {
    renderTable(false);
    await screen.findByText('Page 1 of 3 (45 users)');
    expect(screen.queryByRole('group', { name: 'Actions for User 0' })).toBeNull();
    expect(screen.queryByText('Invite a user')).toBeNull();
    cleanup();
    renderTable(true);
    const row = await screen.findByRole('group', { name: 'Actions for User 0' });
    expect(within(row).getByRole('button', { name: 'Lock' })).toBeTruthy();
    expect(within(row).getByRole('combobox', { name: 'Role of User 0' })).toBeTruthy();
    expect(screen.getByText('Invite a user')).toBeTruthy();
  });
});
