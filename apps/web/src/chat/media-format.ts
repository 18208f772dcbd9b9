import { i18n } from '../i18n/i18n.js';
import type { Media } from '../sdk.js';

/** A file size as people read it, in the reader's language ("1.4 MB"). */
export function sizeOf(bytes: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(i18n.language, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

/** How an attachment is shown: a picture, a player, or a file to download. */
export function kindOf(media: Pick<Media, 'mime'>): 'image' | 'audio' | 'video' | 'file' {
  if (media.mime.startsWith('image/')) return 'image';
  if (media.mime.startsWith('audio/')) return 'audio';
  if (media.mime.startsWith('video/')) return 'video';
  return 'file';
}
