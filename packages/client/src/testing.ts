import type { ServerFrame } from '@platform/contracts';

/**
 * For the tests of an app on the SDK (and the SDK's own): a WebSocket the test opens, feeds, drops and
 * reads what was sent on, passed as `realtime.WebSocket`. Every instance is kept in `all`, newest
 * last; a test resets it with `ScriptedSocket.reset()`. Not part of the SDK's main entry.
 */
export class ScriptedSocket {
  static all: ScriptedSocket[] = [];
  readyState = 0;
  /** Every frame the SDK sent, parsed. */
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;

  constructor(readonly url: string) {
    ScriptedSocket.all.push(this);
  }

  static reset(): void {
    ScriptedSocket.all = [];
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.readyState = 3;
  }

  /** The server accepted the connection. */
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }

  /** A frame from the server. */
  receive(frame: ServerFrame): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  /** The connection died without a close frame (1006). */
  drop(): void {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason: '' });
  }
}
