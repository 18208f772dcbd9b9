import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { MEDIA_PURPOSES, type MediaKind, type MediaPurpose } from '@platform/contracts';
import { AppError } from '@platform/http';
import { storageKeys, type ObjectStorage } from '@platform/storage';
import { sanitizeFileName } from './file-name.js';
import { checkPixels } from './pixels.js';
import { checkType, type Sniffed } from './sniff.js';
import { UploadGuard, type SizeLimits } from './upload-guard.js';

/** Room for the multipart boundaries, part headers and the `purpose` field around the file. */
const FORM_OVERHEAD = 64 * 1024;

/** A file that streamed in whole and passed every check, waiting under its temporary key. */
export interface ReceivedUpload {
  tempKey: string;
  name: string;
  mime: string;
  kind: MediaKind;
  size: number;
  sha256: string;
  purpose: MediaPurpose;
}

export interface ReceiveOptions {
  storage: ObjectStorage;
  limits: SizeLimits;
  /** Images with more pixels are refused from their header, before their bytes are stored. */
  maxImagePixels: number;
  onBytes?: (count: number) => void;
}

/** The client went away mid-upload: nobody is left to answer. */
export class UploadAbortedError extends Error {
  constructor() {
    super('the client closed the connection during the upload');
    this.name = 'UploadAbortedError';
  }
}

function parsePurpose(value: string): MediaPurpose {
  const purpose = MEDIA_PURPOSES.find((p) => p === value);
  if (!purpose)
    throw new AppError('validation_failed', 'The request is not valid; see errors for each field.', {
      errors: [{ path: 'purpose', message: `must be one of ${MEDIA_PURPOSES.join(', ')}` }],
    });
  return purpose;
}

/**
 * Streams a `multipart/form-data` request with exactly one file (field `file`) and an optional
 * `purpose` into storage under a temporary key, checking type and size on the way. On any refusal or
 * a cut connection the temporary object is removed before this rejects: nothing is left behind.
 */
export async function receiveUpload(req: IncomingMessage, options: ReceiveOptions): Promise<ReceivedUpload> {
  const { storage, limits } = options;
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType))
    throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data (field `file`).');
  const largest = Math.max(...Object.values(limits));
  // A body announced larger than any file may be plus the form's few headers is refused unread.
  if (Number(req.headers['content-length'] ?? 0) > largest + FORM_OVERHEAD)
    throw new AppError('file_too_large', `No file may have more than ${largest} bytes.`);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      limits: { files: 1, fields: 4, fieldSize: 1024, parts: 6, fileSize: largest + 1 },
    });
  } catch {
    throw new AppError('bad_request', 'The multipart body cannot be read (boundary missing).');
  }

  const tempKey = storageKeys.temporary(randomUUID());
  let purpose: MediaPurpose | undefined;
  let file: { guard: UploadGuard; name: string; stored: Promise<void> } | undefined;

  const outcome = new Promise<void>((resolve, reject) => {
    const fail = (error: unknown) => {
      reject(error);
      // Stop reading what we will not keep; the rest of the body is drained so the answer gets through.
      req.unpipe(parser);
      req.resume();
    };
    req.once('aborted', () => reject(new UploadAbortedError()));
    req.once('error', () => reject(new UploadAbortedError()));
    parser.on('field', (name, value) => {
      if (name !== 'purpose') return fail(new AppError('bad_request', `Unexpected field \`${name}\`.`));
      try {
        purpose = parsePurpose(value);
      } catch (error) {
        fail(error);
      }
    });
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || file) {
        stream.resume();
        return fail(new AppError('bad_request', 'Send exactly one file, in the field `file`.'));
      }
      const name = sanitizeFileName(info.filename);
      const declared = { mime: info.mimeType, name };
      const accept = async (sniffed: Sniffed, head: Buffer) => {
        checkType(sniffed, declared, purpose ?? 'attachment');
        if (sniffed.kind === 'image') await checkPixels(head, options.maxImagePixels);
      };
      const guard = new UploadGuard(limits, accept, options.onBytes);
      stream.on('limit', () => guard.destroy(new AppError('file_too_large', 'The file is too large.')));
      // put() listens while it runs; this keeps a late destroy (after put settled) from crashing us.
      guard.on('error', () => undefined);
      stream.pipe(guard);
      const stored = storage.put(tempKey, guard, 'application/octet-stream');
      stored.catch(fail);
      file = { guard, name, stored };
    });
    parser.on('filesLimit', () =>
      fail(new AppError('bad_request', 'Send exactly one file, in the field `file`.')),
    );
    parser.on('partsLimit', () => fail(new AppError('bad_request', 'Too many parts in the form.')));
    parser.on('fieldsLimit', () => fail(new AppError('bad_request', 'Too many fields in the form.')));
    parser.on('error', () =>
      fail(new AppError('bad_request', 'The multipart body is malformed or cut short.')),
    );
    parser.on('close', () => resolve());
    req.pipe(parser);
  });

  try {
    await outcome;
    if (!file) throw new AppError('bad_request', 'No file: send one in the field `file`.');
    await file.stored;
    const { guard, name } = file;
    // The purpose may have come after the file; its rules hold all the same.
    const finalPurpose = purpose ?? 'attachment';
    const type = guard.type;
    checkType(type, { mime: type.mime, name: '' }, finalPurpose);
    return {
      tempKey,
      name,
      mime: type.mime,
      kind: type.kind,
      size: guard.size,
      sha256: guard.sha256,
      purpose: finalPurpose,
    };
  } catch (error) {
    file?.guard.destroy(error instanceof Error ? error : new Error(String(error)));
    await file?.stored.catch(() => undefined);
    await storage.delete(tempKey).catch(() => undefined);
    throw error;
  }
}
