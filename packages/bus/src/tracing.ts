import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';

/*
 * W3C trace context across the broker: publishers put `traceparent` (and `tracestate`) into the AMQP
 * headers, consumers continue the trace from them. With no SDK started the API is a no-op, so this
 * costs nothing where tracing is off.
 */

const tracer = trace.getTracer('@platform/bus');

const headerGetter: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    if (typeof value === 'string') return value;
    return Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
  },
};

/** The active trace context as message headers (empty when no span is active or tracing is off). */
export function traceHeaders(active: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  return carrier;
}

/** Runs `work` in a CONSUMER span that continues the trace found in the message headers. */
export async function withConsumerSpan<T>(
  queue: string,
  attributes: { messageId: string; type: string; attempt: number },
  headers: Record<string, unknown> | undefined,
  work: () => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(context.active(), headers ?? {}, headerGetter);
  return tracer.startActiveSpan(
    `${queue} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'rabbitmq',
        'messaging.destination.name': queue,
        'messaging.operation.type': 'process',
        'messaging.message.id': attributes.messageId,
        'messaging.message.type': attributes.type,
        'messaging.rabbitmq.attempt': attributes.attempt,
      },
    },
    parent,
    (span) => endingSpan(span, work),
  );
}

/** Runs `work` in a PRODUCER span (the relay's publish of one outbox row) under the given parent. */
export async function withProducerSpan<T>(
  destination: string,
  messageId: string,
  parentHeaders: Record<string, unknown>,
  work: (headers: Record<string, string>) => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(context.active(), parentHeaders, headerGetter);
  return tracer.startActiveSpan(
    `${destination} publish`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'rabbitmq',
        'messaging.destination.name': destination,
        'messaging.operation.type': 'publish',
        'messaging.message.id': messageId,
      },
    },
    parent,
    (span) => endingSpan(span, () => work(traceHeaders())),
  );
}

/** Runs `work`, records a failure on the span, and always ends it. */
async function endingSpan<T>(span: Span, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}
