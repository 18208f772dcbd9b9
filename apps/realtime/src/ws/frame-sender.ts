import type { Logger } from 'pino';
import type { RealtimeMetrics } from '../metrics.js';
import { CLOSE_CODES, type ServerFrame } from './frames.js';
import type { Socket } from './socket-registry.js';
import { WriteWindow, writeRuns, type HeldFrame } from './write-window.js';

/** uWS `send` results. */
const SEND_DROPPED = 2;

/** uWS topic publishing, as the app offers it (a port, so unit tests need no listening app). */
export interface Topics {
  publish(topic: string, text: string): void;
  subscribers(topic: string): number;
}

export interface FrameSenderOptions {
  /** WS_COALESCE_MS: 0 writes every frame at once; above 0, frames wait up to that long to share writes. */
  coalesceMs?: number;
  topics?: Topics;
}

const noTopics: Topics = { publish: () => undefined, subscribers: () => 0 };

/**
 * Writes frames and enforces the backpressure limit. A client that reads slower than we write would
 * otherwise grow its buffer without bound (one slow phone holding megabytes of chat in our memory);
 * past the limit it is closed with 4008, counted, and may reconnect and catch up from stored state.
 * Every frame, to a socket or to a topic, goes through here, so that with a write-coalescing window
 * each socket still gets its frames in the order they were sent.
 */
export class FrameSender {
  private readonly window: WriteWindow | undefined;
  private readonly topics: Topics;

  constructor(
    private readonly metrics: RealtimeMetrics,
    private readonly maxBackpressureBytes: number,
    private readonly log: Logger,
    options: FrameSenderOptions = {},
  ) {
    this.topics = options.topics ?? noTopics;
    const ms = options.coalesceMs ?? 0;
    this.window = ms > 0 ? new WriteWindow(ms, (frames) => this.writeHeld(frames)) : undefined;
  }

  /** Sends one JSON frame; false if the socket is closed or was just dropped as a slow consumer. */
  send(socket: Socket, frame: ServerFrame): boolean {
    return this.sendText(socket, frame.type, JSON.stringify(frame));
  }

  /**
   * Sends a frame serialised once for many sockets; `type` is its label in the metrics. With a window,
   * true means the frame is held for the socket (a close within the window still loses it).
   */
  sendText(socket: Socket, type: string, text: string): boolean {
    const state = socket.getUserData();
    if (state.closed || state.slow) return false;
    if (this.window) {
      this.window.hold({ socket, type, text });
      return true;
    }
    return this.write(socket, [{ type, text }]);
  }

  /** Writes a frame to every socket subscribed to `topic` (uWS loops over them in C++); returns how many. */
  publish(topic: string, type: string, text: string): number {
    const subscribers = this.topics.subscribers(topic);
    if (subscribers === 0) return 0;
    if (this.window) this.window.hold({ topic, type, text });
    else this.publishNow(topic, type, text);
    return subscribers;
  }

  /**
   * Runs `callback` once the frames sent so far are written: at once without a window, else when it
   * closes (the fanout latency metric is observed there, so that it includes the wait).
   */
  afterWrite(callback: () => void): void {
    if (this.window) this.window.whenWritten(callback);
    else callback();
  }

  /** Writes whatever the window holds now (before sockets are closed at shutdown). */
  flush(): void {
    this.window?.flush();
  }

  /**
   * Closes a socket that cannot keep up, once. uWS also reports frames its topic publish skipped for
   * backpressure (the `dropped` handler), from inside the publish: closing is then deferred to a
   * macrotask of its own, since uWS must not re-enter close handlers from a send.
   */
  dropSlowConsumer(socket: Socket, options: { deferred?: boolean } = {}): void {
    const state = socket.getUserData();
    if (state.closed || state.slow) return;
    state.slow = true;
    this.metrics.slowConsumersDropped.inc();
    this.log.warn({ userId: state.userId, buffered: socket.getBufferedAmount() }, 'closing a slow consumer');
    const close = () => {
      if (!state.closed) socket.end(CLOSE_CODES.slowConsumer, 'slow consumer');
    };
    if (options.deferred) setImmediate(close);
    else close();
  }

  /** One corked write of `frames` to one socket; false if it is dropped as a slow consumer. */
  private write(socket: Socket, frames: Array<{ type: string; text: string }>): boolean {
    let dropped = false;
    // Corked: outside uWS's own callbacks (fanout, timers) an uncorked send is one syscall per frame.
    socket.cork(() => {
      for (const frame of frames) {
        if (socket.send(frame.text, false) === SEND_DROPPED) {
          dropped = true;
          return;
        }
      }
    });
    if (dropped || socket.getBufferedAmount() > this.maxBackpressureBytes) {
      this.dropSlowConsumer(socket);
      return false;
    }
    for (const frame of frames) this.metrics.messagesOut.inc({ type: frame.type });
    return true;
  }

  private publishNow(topic: string, type: string, text: string): void {
    const subscribers = this.topics.subscribers(topic);
    if (subscribers === 0) return;
    this.topics.publish(topic, text);
    this.metrics.messagesOut.inc({ type }, subscribers);
  }

  /** The window closed: everything it held, in order (see writeRuns), from this one macrotask. */
  private writeHeld(frames: HeldFrame[]): void {
    writeRuns(
      frames,
      (socket, texts) => {
        const state = socket.getUserData();
        if (!state.closed && !state.slow) this.write(socket, texts);
      },
      (topic, type, text) => this.publishNow(topic, type, text),
    );
  }
}
