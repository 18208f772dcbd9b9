import type { Socket } from './socket-registry.js';

/** A frame waiting in the window: for one socket, or for every subscriber of a uWS topic. */
export type HeldFrame =
  { socket: Socket; type: string; text: string } | { topic: string; type: string; text: string };

/**
 * The write-coalescing window (WS_COALESCE_MS): the first frame held opens it, and when it closes every
 * frame held meanwhile is written, in the order it was held, from one macrotask. A socket that got
 * several of them then gets them in one write (one system call, usually one TCP segment) instead of
 * one each. Frames wait at most the window, so it trades that much latency for fewer writes.
 */
export class WriteWindow {
  private held: HeldFrame[] = [];
  private afterWrite: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ms: number,
    private readonly write: (frames: HeldFrame[]) => void,
  ) {}

  hold(frame: HeldFrame): void {
    this.held.push(frame);
    this.timer ??= setTimeout(() => this.flush(), this.ms);
  }

  /** Runs `callback` once what is held now has been written (at once when nothing is held). */
  whenWritten(callback: () => void): void {
    if (this.held.length === 0) callback();
    else this.afterWrite.push(callback);
  }

  /** Writes what is held now (the timer's end, and shutdown before sockets are closed). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const frames = this.held;
    const callbacks = this.afterWrite;
    this.held = [];
    this.afterWrite = [];
    if (frames.length > 0) this.write(frames);
    for (const callback of callbacks) callback();
  }
}

/**
 * Splits held frames into runs that can be written without changing any socket's order: each run is
 * the frames for particular sockets between two topic frames, grouped by socket (order kept within a
 * socket), then the topic frame. uWS writes a topic's frames to a subscriber at the end of the loop
 * iteration or, to keep order, just before that subscriber's next direct send, inside the same cork.
 */
export function writeRuns(
  frames: HeldFrame[],
  onSocket: (socket: Socket, frames: Array<{ type: string; text: string }>) => void,
  onTopic: (topic: string, type: string, text: string) => void,
): void {
  let run = new Map<Socket, Array<{ type: string; text: string }>>();
  const writeRun = () => {
    for (const [socket, texts] of run) onSocket(socket, texts);
    run = new Map();
  };
  for (const frame of frames) {
    if ('topic' in frame) {
      writeRun();
      onTopic(frame.topic, frame.type, frame.text);
    } else {
      const texts = run.get(frame.socket);
      if (texts) texts.push(frame);
      else run.set(frame.socket, [frame]);
    }
  }
  writeRun();
}
