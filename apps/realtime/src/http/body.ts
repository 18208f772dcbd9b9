import type { HttpRequest, HttpResponse } from 'uWebSockets.js';

/** Largest JSON request body a route accepts. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** Why a body was refused, ready for `writeProblem`. */
export interface BodyProblem {
  status: 400 | 413 | 415;
  code: 'invalid_json' | 'payload_too_large' | 'unsupported_media_type';
  detail: string;
}

export type BodyResult = { ok: true; value: unknown } | { ok: false; problem: BodyProblem };

const UNSUPPORTED: BodyProblem = {
  status: 415,
  code: 'unsupported_media_type',
  detail: 'Send the body as application/json.',
};
const INVALID_JSON: BodyProblem = {
  status: 400,
  code: 'invalid_json',
  detail: 'The body is not valid JSON.',
};
const tooLarge = (limit: number): BodyProblem => ({
  status: 413,
  code: 'payload_too_large',
  detail: `The body exceeds ${limit} bytes.`,
});

/** `application/json`, optionally with `charset=utf-8`; JSON has no other encoding (RFC 8259). */
export function isJsonContentType(header: string): boolean {
  const [type, ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return parameters.every((parameter) => {
    const [name, value = ''] = parameter.split('=').map((part) => part.trim());
    return name !== 'charset' || /^"?utf-?8"?$/.test(value);
  });
}

/**
 * Collects one body's chunks up to `limit` bytes and parses it: the uWS-free part of `readJsonBody`.
 * A refusal known from the headers (media type, declared length) is final before any chunk arrives.
 */
export class JsonBodyCollector {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private problem: BodyProblem | undefined;

  constructor(
    headers: { contentType: string; contentLength: string },
    private readonly limit = BODY_LIMIT_BYTES,
  ) {
    if (!isJsonContentType(headers.contentType)) this.problem = UNSUPPORTED;
    else if (Number(headers.contentLength) > limit) this.problem = tooLarge(limit);
  }

  /** The refusal so far, if any; once set, further chunks are dropped. */
  get refused(): BodyProblem | undefined {
    return this.problem;
  }

  /** Copies `chunk` (uWS reuses its memory once the callback returns). */
  push(chunk: Uint8Array): void {
    if (this.problem) return;
    this.size += chunk.byteLength;
    if (this.size > this.limit) {
      this.problem = tooLarge(this.limit);
      this.chunks.length = 0;
      return;
    }
    if (chunk.byteLength > 0) this.chunks.push(Buffer.copyBytesFrom(chunk));
  }

  /** The parsed body or why it was refused. Invalid UTF-8 and an empty body are bad JSON. */
  finish(): BodyResult {
    if (this.problem) return { ok: false, problem: this.problem };
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(this.chunks));
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, problem: INVALID_JSON };
    }
  }
}

/**
 * Starts reading the request's JSON body. Call it synchronously inside the route handler, before any
 * await: uWS streams the body right after the handler returns and drops chunks nobody listens for.
 * The caller owns `onAborted` (see `track`); an aborted request leaves the promise pending, and it is
 * released with the response. Refusals resolve (never reject) so an unread result cannot go unhandled.
 */
export function readJsonBody(
  res: HttpResponse,
  req: HttpRequest,
  limit = BODY_LIMIT_BYTES,
): Promise<BodyResult> {
  const collector = new JsonBodyCollector(
    { contentType: req.getHeader('content-type'), contentLength: req.getHeader('content-length') },
    limit,
  );
  return new Promise((resolve) => {
    // The media type and declared length are known now; uWS discards whatever body still arrives.
    if (collector.refused) resolve(collector.finish());
    res.onData((chunk, isLast) => {
      collector.push(new Uint8Array(chunk));
      // No need to wait for the rest of a body that is already refused.
      if (isLast || collector.refused) resolve(collector.finish());
    });
  });
}
