import type { MediaPurpose, MediaView } from '@platform/contracts';
import { ApiError, apiErrorOf } from './api-error.js';
import type { Http } from './http.js';
import type { Session } from './session.js';

/** What `media.upload` takes besides the file. */
export interface UploadOptions {
  /** `attachment` (the default) or `avatar`. */
  purpose?: MediaPurpose;
  /** Bytes sent so far and in all; in browsers as the upload goes, elsewhere once at the end. */
  onProgress?(sent: number, total: number): void;
  signal?: AbortSignal;
}

/** A file as browsers and Node 20 both have it. */
export type UploadFile = Blob & { name?: string };

/** One multipart request's answer: the status, its body text, and a way to the ApiError of a refusal. */
interface Answer {
  ok: boolean;
  text: string;
  error(): Promise<ApiError>;
}

type Post = (url: string, form: FormData, token: string, options: UploadOptions) => Promise<Answer>;

/** XMLHttpRequest where there is one (browsers): the only API that reports upload progress. */
const xhrPost: Post = (url, form, token, { onProgress, signal }) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => onProgress?.(event.loaded, event.total);
    xhr.onerror = () => reject(new TypeError('The upload failed (network).'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    xhr.onload = () => {
      const text = xhr.responseText;
      const headers = new Headers();
      for (const name of ['content-type', 'retry-after', 'x-request-id']) {
        const value = xhr.getResponseHeader(name);
        if (value !== null) headers.set(name, value);
      }
      resolve({
        ok: xhr.status >= 200 && xhr.status < 300,
        text,
        error: () => apiErrorOf(new Response(text || null, { status: xhr.status, headers })),
      });
    };
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });

/** fetch elsewhere (Node): no progress while sending, so one report when it is done. */
function fetchPost(http: Http): Post {
  return async (url, form, token, { onProgress, signal }) => {
    const response = await http.raw(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      body: form,
      ...(signal ? { signal } : {}),
    });
    if (response.ok) {
      const size = [...form.values()].reduce((n, v) => n + (typeof v === 'string' ? 0 : v.size), 0);
      onProgress?.(size, size);
    }
    const copy = response.clone();
    return { ok: response.ok, text: await response.text(), error: () => apiErrorOf(copy) };
  };
}

/**
 * `POST /media`: one file as multipart/form-data with the signed-in user's token (refreshed once on a
 * stale-token refusal, as for every call). Answers the stored medium (`status: processing` until the
 * worker is done; `GET /media/{id}` tells when it is ready).
 */
export async function uploadMedia(
  http: Http,
  session: Session,
  file: UploadFile,
  options: UploadOptions = {},
): Promise<MediaView> {
  const post = typeof XMLHttpRequest === 'function' ? xhrPost : fetchPost(http);
  const form = new FormData();
  if (options.purpose) form.append('purpose', options.purpose);
  form.append('file', file, file.name ?? 'file');
  const url = http.url('/media', 'media');
  const token = await session.valid();
  if (!token) throw new ApiError(401, { code: 'unauthorized', detail: 'Sign in first.' });
  let answer = await post(url, form, token, options);
  if (!answer.ok) {
    const error = await answer.error();
    const fresh = ['token_expired', 'invalid_token'].includes(error.code)
      ? await session.refresh(token)
      : null;
    if (!fresh) throw error;
    answer = await post(url, form, fresh, options);
    if (!answer.ok) throw await answer.error();
  }
  return JSON.parse(answer.text) as MediaView;
}
