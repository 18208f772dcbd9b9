/** Base class of every error the bus raises; `code` is stable and snake_case for logs and metrics. */
export class BusError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The in-memory publish buffer is full (the broker has been unreachable for a while, or is applying
 * backpressure). Best-effort publishers (request logs) catch and drop; important ones surface it.
 */
export class PublishBufferFullError extends BusError {
  constructor(readonly capacity: number) {
    super('publish_buffer_full', `publish buffer is full (${capacity} messages waiting for the broker)`);
  }
}

/** The broker refused to take responsibility for a message (basic.nack on the confirm channel). */
export class PublishNackedError extends BusError {
  constructor(readonly messageId: string) {
    super('publish_nacked', `the broker nacked message ${messageId}`);
  }
}

/** The bus is closing or closed: nothing more is accepted and buffered messages are given up. */
export class BusClosedError extends BusError {
  constructor() {
    super('bus_closed', 'the bus is closed');
  }
}

/** There is no live channel right now; only raised where buffering would be wrong (consumer retries). */
export class BusDisconnectedError extends BusError {
  constructor() {
    super('bus_disconnected', 'the bus is not connected to the broker');
  }
}

/** A message does not match the envelope schema, so it is never sent. */
export class InvalidEnvelopeError extends BusError {
  constructor(reason: string, options?: ErrorOptions) {
    super('invalid_envelope', `invalid envelope: ${reason}`, options);
  }
}

/**
 * Thrown by a handler for a message that can never succeed (a payload its schema refuses, a recipient
 * the mail server rejects for good): the message goes to the dead-letter queue at once, with this
 * message as the reason, instead of through the retry queues.
 */
export class PermanentFailure extends BusError {
  constructor(reason: string, options?: ErrorOptions) {
    super('permanent_failure', reason, options);
  }
}
