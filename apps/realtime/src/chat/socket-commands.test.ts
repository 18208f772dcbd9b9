import { pino } from 'pino';
import { Registry } from 'prom-client';
import { RealtimeMetrics } from '../metrics.js';
import type { FrameSender } from '../ws/frame-sender.js';
import type { ServerFrame, SocketData } from '../ws/frames.js';
import type { ChatService } from './chat.service.js';
import type { ConversationSummary } from './chat.types.js';
import type { PresenceWatch, WatchingSocket as Socket } from './presence-watch.js';
import { ChatCommands } from './socket-commands.js';

const userId = '6f1c1e0e-8f4a-4d7e-9a47-3c2b1d0e9f88';
const globalLine = { id: 'global', kind: 'global', unread: 0 } as unknown as ConversationSummary;

function setup(online: () => Promise<string[]>) {
  const log = pino({ level: 'silent' });
  const sent: ServerFrame[] = [];
  const data = {
    userId,
    role: 'user',
    closed: false,
    chain: Promise.resolve(),
    pending: 0,
    watching: new Set<string>(),
  };
  const socket = { getUserData: () => data as unknown as SocketData } as unknown as Socket;
  const commands = new ChatCommands({
    chat: {
      snapshot: () => Promise.resolve([globalLine]),
      contacts: () => Promise.resolve([]),
    } as unknown as ChatService,
    sender: { send: (_socket: Socket, frame: ServerFrame) => sent.push(frame) } as unknown as FrameSender,
    metrics: new RealtimeMetrics(new Registry()),
    log,
    typingPerSecond: 2,
    presence: { watch: () => ({ added: [], full: false }), onlineFor: online } as unknown as PresenceWatch,
  });
  return { commands, socket, data, sent, log };
}

describe('ChatCommands.snapshot', () => {
  it('sends the conversations and who is online', async () => {
    const { commands, socket, data, sent } = setup(() => Promise.resolve([userId]));
    commands.snapshot(socket);
    await data.chain;
    expect(sent).toEqual([{ type: 'chat.snapshot', conversations: [globalLine], online: [userId] }]);
  });

  it('still sends the conversations when the presence lookup (Redis) fails, with nobody online', async () => {
    const { commands, socket, data, sent, log } = setup(() => Promise.reject(new Error('redis down')));
    const warn = jest.spyOn(log, 'warn');
    commands.snapshot(socket);
    await data.chain;
    expect(sent).toEqual([{ type: 'chat.snapshot', conversations: [globalLine], online: [] }]);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
