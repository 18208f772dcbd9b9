import { randomUUID } from 'node:crypto';
import type { SocketData } from '../../src/ws/frames.js';
import type { Socket } from '../../src/ws/socket-registry.js';

/** A socket for unit tests: records what is sent and how it was ended, with fresh per-socket state. */
export function fakeSocket(options: { userId?: string; buffered?: () => number; sendResult?: number } = {}) {
  const data: SocketData = {
    userId: options.userId ?? randomUUID(),
    sessionId: randomUUID(),
    role: 'user',
    bucket: null,
    rateLimitNoticeAt: 0,
    sent: null,
    closed: false,
    slow: false,
    typingBucket: null,
    chain: null,
    pending: 0,
    watching: null,
  };
  const sent: string[] = [];
  const ended: number[] = [];
  const socket: Socket = {
    getUserData: () => data,
    cork(callback) {
      callback();
      return this as never;
    },
    send: (message) => (sent.push(String(message)), options.sendResult ?? 1),
    getBufferedAmount: options.buffered ?? (() => 0),
    end: (code) => void ended.push(code ?? 0),
  };
  return { socket, sent, ended, data };
}
