import { Outbox, SocketError, type SendAck } from './outbox.js';

const ack = (clientId: string, seq = 1): SendAck => ({
  clientId,
  id: `m-${seq}`,
  conversationId: 'c1',
  seq,
  at: '2025-01-01T00:00:00.000Z',
});

describe('Outbox', () => {
  it('keeps a send until its ack, resolving it exactly once though the ack comes again after a resend', async () => {
    const outbox = new Outbox<{ clientId: string }>();
    const sent = outbox.add('a', { clientId: 'a' });
    expect(outbox.frames()).toEqual([{ clientId: 'a' }]);
    expect(outbox.ack(ack('a', 7))).toBe(true);
    expect(outbox.ack(ack('a', 7))).toBe(false);
    await expect(sent).resolves.toMatchObject({ seq: 7 });
    expect(outbox.frames()).toEqual([]);
  });

  it('hands every unacknowledged send back, oldest first, for the next socket', () => {
    const outbox = new Outbox<string>();
    void outbox.add('a', 'first');
    void outbox.add('b', 'second');
    void outbox.add('c', 'third');
    outbox.ack(ack('b'));
    expect(outbox.frames()).toEqual(['first', 'third']);
  });

  it('rejects a send when an error frame names its clientId, and ignores errors about others', async () => {
    const outbox = new Outbox<string>();
    const sent = outbox.add('a', 'x');
    expect(outbox.refuse('zzz', new SocketError('not_found', 'no'))).toBe(false);
    expect(outbox.refuse('a', new SocketError('forbidden', 'Not a member.', 'a'))).toBe(true);
    await expect(sent).rejects.toMatchObject({ code: 'forbidden', ref: 'a' });
    expect(outbox.size).toBe(0);
  });

  it('refuses a second send with a clientId that is still waiting, and rejects everything on close', async () => {
    const outbox = new Outbox<string>();
    const first = outbox.add('a', 'x');
    await expect(outbox.add('a', 'y')).rejects.toThrow(/already waiting/);
    outbox.close(new Error('closed'));
    await expect(first).rejects.toThrow('closed');
  });
});
