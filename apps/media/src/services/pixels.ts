import sharp from 'sharp';
import { AppError } from '@platform/http';

/**
 * Refuses a decompression bomb (a small file that decodes to a huge bitmap) from its header alone:
 * libvips reads the dimensions without decoding the pixels. A head it cannot read is left to the
 * worker, which decodes under the same limit.
 */
export async function checkPixels(head: Buffer, maxPixels: number): Promise<void> {
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(head, { limitInputPixels: false }).metadata());
  } catch {
    return;
  }
  if (width && height && width * height > maxPixels)
    throw new AppError(
      'file_too_large',
      `The image has ${width}x${height} pixels; at most ${maxPixels} are allowed.`,
    );
}
