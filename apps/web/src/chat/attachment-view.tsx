import { useTranslation } from 'react-i18next';
import type { Media } from '../sdk.js';
import { kindOf, sizeOf } from './media-format.js';

/** A picture's box on screen: its shape, at most THUMB px either way, so the row's height is known early. */
const THUMB = 240;
function fitted({ width, height }: Media): { width: number; height: number } {
  if (!width || !height) return { width: THUMB, height: THUMB };
  const scale = Math.min(1, THUMB / Math.max(width, height));
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

/**
 * One file of a message: a picture's thumbnail that opens the full picture, an audio or video player,
 * or a download link with its name and size. URLs are the API's (signed, same origin); names are text.
 * A file still `processing` is a placeholder until the chat state settles it (its `chat.attachment`
 * news, attachment-news.ts): the message re-renders, nothing here asks the server.
 */
function Attachment({ media }: { media: Media }) {
  const { t } = useTranslation();
  const { name } = media;
  if (media.status === 'processing')
    return (
      <p className="attachment pending" role="status">
        {t('media.processing', { name })}
      </p>
    );
  if (media.status === 'failed')
    return <p className="attachment failed">{t('media.unavailable', { name })}</p>;
  const kind = kindOf(media);
  if (kind === 'image')
    return (
      <a className="attachment image" href={media.url} target="_blank" rel="noopener noreferrer">
        <img src={media.thumbnailUrl ?? media.url} alt={t('media.open', { name })} {...fitted(media)} />
      </a>
    );
  if (kind === 'audio')
    return <audio className="attachment" controls preload="none" src={media.url} aria-label={name} />;
  if (kind === 'video')
    return (
      <video
        className="attachment"
        controls
        preload="none"
        src={media.url}
        poster={media.thumbnailUrl}
        aria-label={name}
      />
    );
  return (
    <a className="attachment file" href={media.url} download={name}>
      {t('media.download', { name, size: sizeOf(media.size) })}
    </a>
  );
}

/** The files of a message, in the order they were sent. */
export function Attachments({ items }: { items: readonly Media[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <ul className="attachments" aria-label={t('media.files')}>
      {items.map((media) => (
        <li key={media.id}>
          <Attachment media={media} />
        </li>
      ))}
    </ul>
  );
}
