import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { failureText } from '../i18n/failure-text.js';
import type { Media } from '../sdk.js';
import { useSession } from '../session/session-context.js';

/** Files per message (the `chat.send` frame's limit). */
export const MAX_ATTACHMENTS = 10;

interface Upload {
  key: string;
  name: string;
  size: number;
  sent: number;
  media?: Media;
  error?: string;
  abort: AbortController;
}

/** The composer's files: each uploaded as soon as it is picked, dropped or pasted, with its progress. */
export function useComposerFiles() {
  const { t } = useTranslation();
  const { client } = useSession();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const count = useRef(0);
  const patch = useCallback((key: string, change: Partial<Upload>) => {
    setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...change } : u)));
  }, []);

  const add = (files: readonly File[]) => {
    const room = MAX_ATTACHMENTS - uploads.length;
    setNotice(files.length > room ? t('media.tooMany', { max: MAX_ATTACHMENTS }) : null);
    const started = files.slice(0, Math.max(0, room)).map((file) => {
      count.current += 1;
      const upload: Upload = {
        key: `${count.current}`,
        name: file.name,
        size: file.size,
        sent: 0,
        abort: new AbortController(),
      };
      client.media
        .upload(file, {
          signal: upload.abort.signal,
          onProgress: (sent) => patch(upload.key, { sent }),
        })
        .then((media) => patch(upload.key, { media, sent: upload.size }))
        .catch((error: unknown) => {
          if (!upload.abort.signal.aborted) patch(upload.key, { error: failureText(error, t) });
        });
      return upload;
    });
    setUploads((list) => [...list, ...started]);
  };

  const remove = (key: string) => {
    setUploads((list) => {
      list.find((u) => u.key === key)?.abort.abort();
      return list.filter((u) => u.key !== key);
    });
  };

  // Leaving the conversation cancels what is still being sent.
  const latest = useRef(uploads);
  useEffect(() => {
    latest.current = uploads;
  }, [uploads]);
  useEffect(() => () => latest.current.forEach((u) => u.abort.abort()), []);

  return {
    uploads,
    notice,
    add,
    remove,
    clear: () => setUploads([]),
    /** Still sending bytes: the message waits. */
    busy: uploads.some((u) => !u.media && !u.error),
    stored: uploads.flatMap((u) => (u.media ? [u.media] : [])),
  };
}

export type ComposerFiles = ReturnType<typeof useComposerFiles>;

/** The composer's files with their progress, each with a button that takes it off the message. */
export function FileChips({ files }: { files: ComposerFiles }) {
  const { t } = useTranslation();
  if (files.uploads.length === 0 && files.notice === null) return null;
  return (
    <div className="file-chips">
      {files.notice ? <p role="alert">{files.notice}</p> : null}
      <ul aria-label={t('media.attachments')}>
        {files.uploads.map((u) => {
          const percent = u.size === 0 ? 100 : Math.min(100, Math.round((u.sent / u.size) * 100));
          const label = u.error
            ? t('media.failed', { name: u.name, reason: u.error })
            : u.media
              ? t('media.uploaded', { name: u.name })
              : t('media.uploading', { name: u.name, percent });
          return (
            <li key={u.key} className={u.error ? 'failed' : undefined}>
              <span dir="auto">{label}</span>
              {u.media || u.error ? null : <progress max={100} value={percent} aria-label={u.name} />}
              <button
                type="button"
                onClick={() => files.remove(u.key)}
                aria-label={t('media.removeFile', { name: u.name })}
              >
                ×
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
