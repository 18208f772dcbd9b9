import { fileTypeFromBuffer } from 'file-type/core';
import { AVATAR_TYPES, MEDIA_TYPES, type MediaKind, type MediaPurpose } from '@platform/contracts';
import { AppError } from '@platform/http';

/** Bytes of a file's head that decide its type (file-type reads at most about this many). */
export const SNIFF_BYTES = 4100;

/** file-type's names for a few types, mapped to the one name we store and serve. */
const CANONICAL: Record<string, string> = {
  'audio/x-m4a': 'audio/mp4',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'video/quicktime': 'video/quicktime',
};

/** Extensions a browser or an OS would treat as one kind, for the name-against-content check. */
const EXTENSION_KINDS: Record<string, MediaKind | 'markup'> = {
  jpg: 'image',
  jpeg: 'image',
  png: 'image',
  gif: 'image',
  webp: 'image',
  avif: 'image',
  heic: 'image',
  bmp: 'image',
  tif: 'image',
  tiff: 'image',
  ico: 'image',
  svg: 'markup',
  svgz: 'markup',
  mp3: 'audio',
  ogg: 'audio',
  opus: 'audio',
  m4a: 'audio',
  wav: 'audio',
  flac: 'audio',
  aac: 'audio',
  mp4: 'video',
  webm: 'video',
  mov: 'video',
  mkv: 'video',
  avi: 'video',
  html: 'markup',
  htm: 'markup',
  xhtml: 'markup',
  xml: 'markup',
};

/** What the content turned out to be. */
export interface Sniffed {
  mime: string;
  /** `markup` (HTML, SVG, XML) is never accepted; it is kept apart to name the refusal right. */
  kind: MediaKind | 'markup';
}

/** Markup a browser would run if it ever rendered it: never stored, whatever it is called. */
const MARKUP = /^\s*<(?:!doctype|html|svg|\?xml|script|head|body|iframe|!--)|<(?:svg|script|html)[\s>/]/i;

function looksLikeText(head: Uint8Array): boolean {
  let text: string;
  try {
    // A cut in the middle of a multi-byte character at the head's end is not an error.
    text = new TextDecoder('utf-8', { fatal: true }).decode(
      head.length >= SNIFF_BYTES ? head.subarray(0, -3) : head,
    );
  } catch {
    return false;
  }
  // Control characters other than tab, line feed, form feed and carriage return mean binary.
  for (const char of text) {
    const code = char.charCodeAt(0);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) || code === 0x7f)
      return false;
  }
  return true;
}

/**
 * The type of a file from its first bytes (magic numbers), never from its name. Plain text has none,
 * so text is what decodes as UTF-8 without control characters; HTML, SVG and XML come back as
 * `markup`, for `checkType` to refuse. A type we do not accept at all is refused here.
 */
export async function sniff(head: Uint8Array): Promise<Sniffed> {
  const found = await fileTypeFromBuffer(head);
  if (found) {
    const mime = CANONICAL[found.mime] ?? found.mime;
    const kind = MEDIA_TYPES[mime];
    if (!kind) throw new AppError('unsupported_media_type', `Files of type ${mime} are not accepted.`);
    return { mime, kind };
  }
  if (looksLikeText(head)) {
    const text = new TextDecoder().decode(head);
    if (MARKUP.test(text)) return { mime: 'text/html', kind: 'markup' };
    return { mime: 'text/plain', kind: 'file' };
  }
  throw new AppError('unsupported_media_type', 'This type of file is not accepted.');
}

/** The kinds a name and a declared type claim. */
function claimedKinds(declaredMime: string, name: string): Set<string> {
  const major = declaredMime.split('/')[0]?.toLowerCase() ?? '';
  const ext = name.includes('.') ? (name.split('.').pop()?.toLowerCase() ?? '') : '';
  const claims = new Set<string>();
  if (major === 'image' || major === 'audio' || major === 'video') claims.add(major);
  if (/svg|html|xml/i.test(declaredMime)) claims.add('markup');
  const byName = EXTENSION_KINDS[ext];
  if (byName) claims.add(byName);
  return claims;
}

/**
 * Checks the sniffed type against what the client said and what the purpose allows. An image, audio
 * or video name or declared type must match the content (an SVG or HTML page declared as an image is
 * `type_mismatch`); a name that claims no media kind (`photo.exe` holding a PNG) is fine: the content
 * decides.
 */
export function checkType(
  sniffed: Sniffed,
  declared: { mime: string; name: string },
  purpose: MediaPurpose,
): asserts sniffed is { mime: string; kind: MediaKind } {
  const claims = claimedKinds(declared.mime, declared.name);
  // An audio file in a video container (.mp4 holding only sound) is not a lie worth refusing.
  const av = (k: string) => k === 'audio' || k === 'video';
  const mismatch = [...claims].some((k) => k !== sniffed.kind && !(av(k) && av(sniffed.kind)));
  if (mismatch)
    throw new AppError(
      'type_mismatch',
      `The content is ${sniffed.mime}, not what its name or declared type says.`,
    );
  if (sniffed.kind === 'markup')
    throw new AppError('unsupported_media_type', 'HTML, SVG and XML documents are not accepted.');
  if (purpose === 'avatar' && !AVATAR_TYPES.includes(sniffed.mime))
    throw new AppError(
      'unsupported_media_type',
      'An avatar must be a JPEG, PNG, WebP, GIF, AVIF or HEIC image.',
    );
}
