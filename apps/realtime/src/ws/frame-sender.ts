import type { Logger } from 'pino';
import type { RealtimeMetrics } from '../metrics.js';
import { CLOSE_CODES, type ServerFrame } from './frames.js';
import type { Socket } from './socket-registry.js';

/** uWS `send` results. */
const SEND_DROPPED = 2;

/**
 * Writes frames and enforces the backpressure limit. A client that reads slower than we write would
 * otherwise grow its buffer without bound (one slow phone holding megabytes of chat in our memory);
 * past the limit it is closed with 4008, counted, and may reconnect and catch up from stored state.
 */
export class FrameSender {
  constructor(
    private readonly metrics: RealtimeMetrics,
    private readonly maxBackpressureBytes: number,
    private readonly log: Logger,
  ) {}

  /** Sends one JSON frame; false if the socket is closed or was just dropped as a slow consumer. */
  send(socket: Socket, frame: ServerFrame): boolean {
    return this.sendText(socket, frame.type, JSON.stringify(frame));
  }

  /** Sends a frame serialised once for many sockets; `type` is its label in the metrics. */
  sendText(socket: Socket, type: string, text: string): boolean {
    const state = socket.getUserData();
    if (state.closed || state.slow) return false;
    let result = 0;
    // Corked: outside uWS's own callbacks (fanout, timers) an uncorked send is one syscall per frame.
    socket.cork(() => {
      result = socket.send(text, false);
    });
    if (result === SEND_DROPPED || socket.getBufferedAmount() > this.maxBackpressureBytes) {
      this.dropSlowConsumer(socket);
      return false;
    }
    this.metrics.messagesOut.inc({ type });
    return true;
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
}
