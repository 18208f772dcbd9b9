import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AVATAR_SIZES, type AccessClaims, type MediaUrlSigning, type MediaView } from '@platform/contracts';
import { Media, toMediaView, type EntityManager } from '@platform/db';
import { AppError, assertThat, auditEntry, Errors, type AuditContext } from '@platform/http';
import type { EventSink } from '@platform/runtime';
import { ObjectNotFoundError, storageKeys, type ObjectStorage } from '@platform/storage';
import { contentDisposition } from './file-name.js';
import { mediaQueries } from './media.queries.js';
import { parseRange } from './range.js';
import type { ReceivedUpload } from './receive-upload.js';

/** What a route sends for a read of bytes: status, headers and the stream (none for a 304). */
export interface ServedBytes {
  status: 200 | 206 | 304;
  headers: Record<string, string>;
  body?: Readable;
}

/** Who reads bytes: a signed-in caller, or whoever holds a URL the platform signed. */
export type Reader = { claims: AccessClaims } | { signedUrl: true };

/** Kinds a browser may show inline; anything else is a download. */
const INLINE_KINDS = new Set(['image', 'audio', 'video']);

const notFound = () => Errors.notFound('No such file.');

/** The rules of media: quota, who may read and delete, how bytes are served. */
export class MediaService {
  constructor(
    private readonly em: EntityManager,
    private readonly events: EventSink,
    private readonly storage: ObjectStorage,
    private readonly settings: { quotaBytes: number; signer: MediaUrlSigning },
  ) {}

  /**
   * Makes a received upload a medium: within the owner's quota (checked under a per-owner lock, so
   * two uploads at once cannot both squeeze in), promoted from its temporary key, recorded with its
   * `media.uploaded` event in one transaction. Nothing remains if any step fails.
   */
  async create(ownerId: string, upload: ReceivedUpload): Promise<MediaView> {
    const id = randomUUID();
    const key = storageKeys.original(id);
    let promoted = false;
    try {
      const media = await this.em.transactional(async (em) => {
        await mediaQueries.lockOwner(em, ownerId);
        const used = await mediaQueries.liveBytesOf(em, ownerId);
        if (used + upload.size > this.settings.quotaBytes)
          throw new AppError('quota_exceeded', 'This file would take you over your storage quota.');
        await this.storage.move(upload.tempKey, key);
        promoted = true;
        const created = em.create(Media, {
          id,
          ownerId,
          purpose: upload.purpose,
          kind: upload.kind,
          name: upload.name,
          mime: upload.mime,
          size: upload.size,
          sha256: upload.sha256,
          status: 'processing',
          failureReason: null,
          width: null,
          height: null,
          durationMs: null,
          storageKey: key,
          variants: {},
          createdAt: new Date(),
          processedAt: null,
          attachedAt: null,
          deletedAt: null,
        });
        this.events.stage(em, 'media.uploaded', {
          userId: ownerId,
          mediaId: id,
          purpose: upload.purpose,
          kind: upload.kind,
          mime: upload.mime,
        });
        return created;
      });
      return toMediaView(media, this.settings.signer);
    } catch (error) {
      await this.storage.delete(promoted ? key : upload.tempKey).catch(() => undefined);
      throw error;
    }
  }

  async get(caller: AccessClaims, id: string): Promise<MediaView> {
    return toMediaView(await this.readable({ claims: caller }, id), this.settings.signer);
  }

  /**
   * The bytes, whole or one range, with validators. An image is served only as its cleaned copy
   * (metadata stripped), so it is not readable until processing made one.
   */
  async content(reader: Reader, id: string, request: { range?: string; ifNoneMatch?: string }) {
    const media = await this.readable(reader, id);
    const servable = media.kind !== 'image' || media.status === 'ready';
    assertThat(servable, () => Errors.notFound('The image is still being processed (or failed).'));
    const inline = INLINE_KINDS.has(media.kind);
    const headers: Record<string, string> = {
      'content-type': media.mime === 'text/plain' ? 'text/plain; charset=utf-8' : media.mime,
      'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', media.name),
      etag: `"${media.sha256}"`,
      'accept-ranges': 'bytes',
      'cache-control': 'private, max-age=86400',
      // Even opened directly, the bytes run nothing: no scripts, no plugins, an opaque origin.
      'content-security-policy': "default-src 'none'; sandbox",
    };
    return this.serve(media.storageKey, media.size, headers, request);
  }

  /** A thumbnail (or an avatar's crop of `size` px) once processing made it. */
  async thumbnail(reader: Reader, id: string, size: number | undefined, ifNoneMatch?: string) {
    const media = await this.readable(reader, id);
    const name = media.purpose === 'avatar' ? `avatar-${size ?? AVATAR_SIZES[0]}` : 'thumbnail';
    const key = media.variants[name];
    assertThat(key, () => Errors.notFound('No thumbnail (yet).'));
    const headers = {
      'content-type': 'image/webp',
      etag: `"${media.sha256.slice(0, 32)}-${name}"`,
      'cache-control': 'private, max-age=86400',
      'content-security-policy': "default-src 'none'; sandbox",
    };
    return this.serve(key, undefined, headers, { ...(ifNoneMatch ? { ifNoneMatch } : {}) });
  }

  /**
   * Deletes a medium: its owner, or an admin (audited). Hidden at once; the objects go right after
   * the commit (the purge removes any a crash left).
   */
  async delete(caller: AccessClaims, id: string, audit: AuditContext): Promise<void> {
    const media = await mediaQueries.findLive(this.em, id);
    const isOwner = media?.ownerId === caller.sub;
    assertThat(media && (isOwner || caller.role === 'admin'), notFound);
    media.deletedAt = new Date();
    if (!isOwner) {
      this.events.stage(
        this.em,
        'log.audit',
        auditEntry(audit, {
          action: 'media.delete',
          targetId: media.id,
          before: { ownerId: media.ownerId, name: media.name, mime: media.mime, size: media.size },
        }),
      );
    }
    await this.em.flush();
    const keys = [media.storageKey, storageKeys.original(media.id), ...Object.values(media.variants)];
    await Promise.all([...new Set(keys)].map((key) => this.storage.delete(key).catch(() => undefined)));
  }

  /**
   * A live medium the caller may read: their own, anyone's avatar, or an attachment of a message they
   * can see (a deleted message hides its attachments); a suspended or deleted account's files are
   * hidden from everyone else. Anything else is the same 404, so ids reveal nothing.
   *
   * A signed URL was handed to someone who could read the medium then; it opens it while the medium
   * still lives, its owner is visible, and an attachment still hangs on a live message (or on none
   * yet: its owner's own upload), so deleting either closes every URL already out.
   */
  private async readable(reader: Reader, id: string): Promise<Media> {
    const media = await mediaQueries.findLive(this.em, id);
    assertThat(media, notFound);
    const caller = 'claims' in reader ? reader.claims : undefined;
    if (media.ownerId === caller?.sub) return media;
    const stillShown = async () =>
      caller === undefined
        ? await mediaQueries.isOnLiveMessageOrUnattached(this.em, media.id)
        : await mediaQueries.isSharedWith(this.em, media.id, caller.sub);
    const allowed =
      (await mediaQueries.ownerIsActive(this.em, media.ownerId)) &&
      (media.purpose === 'avatar' || (await stillShown()));
    assertThat(allowed, notFound);
    return media;
  }

  private async serve(
    key: string,
    size: number | undefined,
    headers: Record<string, string>,
    request: { range?: string; ifNoneMatch?: string },
  ): Promise<ServedBytes> {
    if (request.ifNoneMatch && request.ifNoneMatch.split(/\s*,\s*/).includes(headers.etag ?? ''))
      return { status: 304, headers };
    const range = size === undefined || !request.range ? null : parseRange(request.range, size);
    if (range === 'unsatisfiable')
      throw new AppError('range_not_satisfiable', 'The range starts past the end.', {
        headers: { 'Content-Range': `bytes */${size ?? 0}` },
      });
    try {
      const body = await this.storage.get(key, range ?? undefined);
      if (!range)
        return {
          status: 200,
          headers: { ...headers, ...(size === undefined ? {} : { 'content-length': String(size) }) },
          body,
        };
      return {
        status: 206,
        headers: {
          ...headers,
          'content-range': `bytes ${range.start}-${range.end}/${size ?? 0}`,
          'content-length': String(range.end - range.start + 1),
        },
        body,
      };
    } catch (error) {
      if (error instanceof ObjectNotFoundError) throw notFound();
      throw error;
    }
  }
}
