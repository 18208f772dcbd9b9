import type { SparseHistogram } from './histogram.js';

/** What the bench asks a load-client process (load-client.ts) to do, over its IPC channel. */
export type ClientRequest =
  | {
      cmd: 'connect';
      url: string;
      tokens: string[];
      concurrency: number;
      /** How the server frames messages (default plain JSON frames). */
      protocol?: 'plain' | 'socket.io';
      /** Source address of this process's sockets (127.0.0.x), each with its own ephemeral ports. */
      localAddress?: string;
    }
  /** Forget earlier frames and start counting and timing the bench's frames. */
  | { cmd: 'start' }
  /** Frames counted since `start`, to see when a run has drained. */
  | { cmd: 'count' }
  /** Stop counting; answers with the run's ClientStats. */
  | { cmd: 'stop' }
  | { cmd: 'close' };

/** A socket that closed after it had opened (the first 20 of each client process). */
export interface CloseRecord {
  code: number;
  /** Milliseconds between the open and the close. */
  afterOpenMs: number;
  /** Epoch ms of the close. */
  at: number;
  /** The last error event of the socket ('' when none). */
  error: string;
  /** Whether a run was being counted. */
  recording: boolean;
}

/** What one load-client process saw during one run. */
export interface ClientStats {
  /** The bench's frames (those with a `sentAt`) received while counting. */
  frames: number;
  /** Any other frame (a snapshot or notification the server sends on its own). */
  otherFrames: number;
  /** Epoch ms of the first and last counted frame (NaN when none). */
  firstAt: number;
  lastAt: number;
  /** Sockets still open. */
  open: number;
  /** Sockets closed since they were opened, by close code (1006: dropped without a close frame). */
  closes: Record<string, number>;
  closeLog: CloseRecord[];
  histogram: SparseHistogram;
  maxMs: number;
  sumMs: number;
  /** [sentAt, first ms, last ms]: each message's first and last arrival in this process. */
  arrivals: Array<[number, number, number]>;
}

/** The answer to each request. */
export interface ClientReplies {
  connect: { open: number; errors: Record<string, number> };
  start: { open: number };
  count: { frames: number; otherFrames: number; open: number };
  stop: ClientStats;
  close: { open: number };
}

export type ClientReply = ClientReplies[keyof ClientReplies];
