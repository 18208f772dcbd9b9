import sharp, { type Sharp } from 'sharp';
import { AVATAR_SIZES, THUMBNAIL_SIZE } from '@platform/contracts';

/** An image re-encoded without any metadata, upright, and what was learnt on the way. */
export interface CleanImage {
  bytes: Buffer;
  mime: string;
  width: number;
  height: number;
}

/** Output formats: each input is written back in its own format, except HEIC, which sharp cannot write. */
const OUTPUT: Record<string, { mime: string; encode: (image: Sharp) => Sharp }> = {
  'image/jpeg': { mime: 'image/jpeg', encode: (i) => i.jpeg({ quality: 90, mozjpeg: true }) },
  'image/png': { mime: 'image/png', encode: (i) => i.png() },
  'image/webp': { mime: 'image/webp', encode: (i) => i.webp({ quality: 90 }) },
  'image/gif': { mime: 'image/gif', encode: (i) => i.gif() },
  'image/avif': { mime: 'image/avif', encode: (i) => i.avif() },
  'image/heic': { mime: 'image/jpeg', encode: (i) => i.jpeg({ quality: 90, mozjpeg: true }) },
};

/** Decoding options every read uses: the pixel limit (decompression bombs), and errors are errors. */
const decode = (maxPixels: number, animated: boolean) =>
  ({ limitInputPixels: maxPixels, failOn: 'error', animated }) as const;

/**
 * The copy of an image that is served: EXIF orientation applied, then every metadata block (EXIF
 * with GPS, XMP, IPTC, ICC comments) dropped, which is sharp's default when writing. Animated GIF and
 * WebP keep their frames.
 */
export async function cleanImage(input: Buffer, mime: string, maxPixels: number): Promise<CleanImage> {
  const output = OUTPUT[mime] ?? { mime: 'image/png', encode: (i: Sharp) => i.png() };
  const animated = mime === 'image/gif' || mime === 'image/webp';
  const { data, info } = await output
    .encode(sharp(input, decode(maxPixels, animated)).rotate())
    .toBuffer({ resolveWithObject: true });
  const height = info.pageHeight ?? info.height;
  return { bytes: data, mime: output.mime, width: info.width, height };
}

/** A WebP thumbnail no larger than THUMBNAIL_SIZE on its longest side (first frame only). */
export function thumbnail(clean: Buffer, maxPixels: number): Promise<Buffer> {
  return sharp(clean, decode(maxPixels, false))
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer();
}

/** An avatar's square crops (AVATAR_SIZES), centred on the most interesting part. */
export async function avatarCrops(clean: Buffer, maxPixels: number): Promise<Map<number, Buffer>> {
  const crops = new Map<number, Buffer>();
  for (const size of AVATAR_SIZES) {
    const crop = await sharp(clean, decode(maxPixels, false))
      .resize(size, size, { fit: 'cover', position: sharp.strategy.attention })
      .webp({ quality: 85 })
      .toBuffer();
    crops.set(size, crop);
  }
  return crops;
}

/** True for errors that mean the image itself is bad (not a passing fault): no retry helps. */
export function isBadImage(error: unknown): boolean {
  return (
    error instanceof Error &&
    /pixel limit|unsupported image|corrupt|bad|premature|invalid|VipsJpeg|pngload|webp|gifload|heif/i.test(
      error.message,
    )
  );
}
