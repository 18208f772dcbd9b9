import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Up to two initials of a name ("Ada Lovelace" -> "AL"), by grapheme, for the fallback disc. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  const first = (word: string | undefined) => (word ? ([...word][0] ?? '') : '');
  const letters = words.length > 1 ? first(words[0]) + first(words.at(-1)) : first(words[0]);
  return letters.toLocaleUpperCase() || '?';
}

/** How often and how long a picture that failed (a crop still being made) is tried again. */
const RETRY_MS = 3_000;
const RETRIES = 10;

interface Props {
  name: string;
  /** The avatar's URL (signed, same origin), or null for the initials. */
  url: string | null | undefined;
  size?: 'small' | 'large';
  /** Named for screen readers ("Picture of Ada"); by default it is decoration beside the name. */
  labelled?: boolean;
}

/**
 * A user's picture, or their initials on a disc when they have none (or it cannot be loaded). A fresh
 * upload's crop may not exist for a few seconds: a failed picture is tried again a few times.
 */
export function Avatar({ name, url, size = 'small', labelled = false }: Props) {
  const { t } = useTranslation();
  // Failures of this URL (negative while it is tried again); a new URL starts afresh.
  const [tries, setTries] = useState({ url, failed: 0 });
  const failed = tries.url === url ? tries.failed : 0;
  const setFailed = (next: (n: number) => number) =>
    setTries((current) => ({ url, failed: next(current.url === url ? current.failed : 0) }));
  useEffect(() => {
    if (failed <= 0 || failed > RETRIES) return;
    const timer = setTimeout(
      () => setTries((current) => ({ ...current, failed: -current.failed })),
      RETRY_MS,
    );
    return () => clearTimeout(timer);
  }, [failed]);
  const className = `avatar ${size}`;
  if (!url || failed > 0)
    return (
      <span className={`${className} initials`} aria-hidden="true">
        {initialsOf(name)}
      </span>
    );
  return (
    <img
      // A negative count is a retry: a new element asks the server again.
      key={failed}
      className={className}
      src={url}
      alt={labelled ? t('media.avatarOf', { name }) : ''}
      onError={() => setFailed((n) => Math.abs(n) + 1)}
    />
  );
}
