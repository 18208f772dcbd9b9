import type { FrameErrorCode, ServerFrame } from './frames.js';

/** A client frame that passed parsing, by type. Only `ping` in this slice; chat types come next. */
export type ClientMessage = { type: 'ping' };

/** What to do with one client frame: act on a message, or answer with an error. */
export type ParsedFrame =
  | { ok: true; message: ClientMessage }
  | { ok: false; label: string; error: Extract<ServerFrame, { type: 'error' }> };

const fail = (label: string, code: FrameErrorCode, detail: string): ParsedFrame => ({
  ok: false,
  label,
  error: { type: 'error', code, detail },
});

/**
 * Parses a frame without ever throwing: whatever a client sends costs it an `error` frame, never the
 * process or anyone else's socket. `label` names the frame for metrics from a fixed set (a client must
 * not be able to create label values).
 */
export function parseClientFrame(data: ArrayBuffer, isBinary: boolean): ParsedFrame {
  if (isBinary) return fail('binary', 'bad_json', 'Binary frames are not accepted; send JSON text.');
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return fail('bad_json', 'bad_json', 'The frame is not valid JSON.');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail('invalid', 'validation_failed', 'A frame must be a JSON object with a string `type`.');
  }
  const type: unknown = (raw as { type?: unknown }).type;
  if (typeof type !== 'string') {
    return fail('invalid', 'validation_failed', 'A frame must be a JSON object with a string `type`.');
  }
  if (type === 'ping') return { ok: true, message: { type: 'ping' } };
  return fail('unknown', 'unknown_type', 'Unknown message type.');
}
