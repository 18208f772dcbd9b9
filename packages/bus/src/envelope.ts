import { randomUUID } from 'node:crypto';
import { envelopeSchema, type Envelope } from '@platform/contracts';
import { InvalidEnvelopeError } from './errors.js';

/** Wraps a payload in a fresh envelope (new id, current time). */
export function createEnvelope<P>(type: string, payload: P, version = 1): Envelope<P> {
  return { id: randomUUID(), type, version, occurredAt: new Date().toISOString(), payload };
}

/** Returns the envelope if it matches the schema, else throws an `InvalidEnvelopeError`. */
export function assertEnvelope<P>(envelope: Envelope<P>): Envelope<P> {
  const result = envelopeSchema.safeParse(envelope);
  if (!result.success)
    throw new InvalidEnvelopeError(describeIssues(result.error.issues), { cause: result.error });
  return envelope;
}

/** The outcome of reading a delivery body: an envelope, or why it is not one. */
export type DecodeResult = { ok: true; envelope: Envelope } | { ok: false; reason: string };

/** Parses and validates a message body; never throws, since a poison message must not crash a consumer. */
export function decodeEnvelope(content: Buffer): DecodeResult {
  let raw: unknown;
  try {
    raw = JSON.parse(content.toString('utf8'));
  } catch (error) {
    return {
      ok: false,
      reason: `body is not JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  const result = envelopeSchema.safeParse(raw);
  if (!result.success)
    return { ok: false, reason: `body is not an envelope (${describeIssues(result.error.issues)})` };
  return { ok: true, envelope: result.data };
}

function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
