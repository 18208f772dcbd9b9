/** The server's confirmation of one send. */
export interface SendAck {
  clientId: string;
  id: string;
  conversationId: string;
  seq: number;
  at: string;
}

/** A refusal of one frame by the server (an `error` frame naming it in `ref`). */
export class SocketError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
    readonly ref?: string,
  ) {
    super(detail);
    this.name = 'SocketError';
  }
}

interface Pending<F> {
  frame: F;
  resolve: (ack: SendAck) => void;
  reject: (error: Error) => void;
}

/**
 * Sends not yet acknowledged, by clientId. A send stays here across reconnects and is written again
 * on every new socket with the same clientId, which the server stores once and acks again; it settles
 * exactly once: resolved by its `chat.ack`, rejected by an `error` frame whose `ref` names it.
 */
export class Outbox<F> {
  private readonly pending = new Map<string, Pending<F>>();

  /** Adds a send; the promise settles when the server answers it (or the outbox is closed). */
  add(clientId: string, frame: F): Promise<SendAck> {
    const existing = this.pending.get(clientId);
    if (existing) return Promise.reject(new Error(`clientId ${clientId} is already waiting for its ack`));
    return new Promise((resolve, reject) => this.pending.set(clientId, { frame, resolve, reject }));
  }

  /** Frames to write on a (new) socket, oldest first. */
  frames(): F[] {
    return [...this.pending.values()].map((entry) => entry.frame);
  }

  /** Settles the send an ack names; false when none waits (a second ack of a resend). */
  ack(ack: SendAck): boolean {
    const entry = this.pending.get(ack.clientId);
    if (!entry) return false;
    this.pending.delete(ack.clientId);
    entry.resolve(ack);
    return true;
  }

  /** Rejects the send an `error` frame names; false when `ref` names no waiting send. */
  refuse(ref: string, error: SocketError): boolean {
    const entry = this.pending.get(ref);
    if (!entry) return false;
    this.pending.delete(ref);
    entry.reject(error);
    return true;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Rejects every waiting send (the client was closed or signed out). */
  close(reason: Error): void {
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) entry.reject(reason);
  }
}
