import { BigIntType, EntitySchema } from '@mikro-orm/core';
import type { MediaKind, MediaPurpose, MediaStatus } from '@platform/contracts';

/**
 * An uploaded file. The bytes live in object storage under server-made keys (`storageKey`, and the
 * worker's `variants`: thumbnail, avatar crops); the row is what makes them exist for the API. The
 * owner is a plain column, so the socket tier and the worker never load users. `deletedAt` hides a
 * medium at once; its objects are removed by the same request or the purge.
 */
export class Media {
  id!: string;
  ownerId!: string;
  purpose!: MediaPurpose;
  kind!: MediaKind;
  /** The uploader's file name, sanitised: shown and offered as the download name, never used as a key. */
  name!: string;
  mime!: string;
  size!: number;
  sha256!: string;
  status!: MediaStatus;
  failureReason!: string | null;
  width!: number | null;
  height!: number | null;
  durationMs!: number | null;
  storageKey!: string;
  /** Derived objects by name (`thumbnail`, `avatar-64`, ...) -> storage key. */
  variants!: Record<string, string>;
  createdAt!: Date;
  processedAt!: Date | null;
  /** When it was first attached to something (a message, a profile); unattached uploads are purged. */
  attachedAt!: Date | null;
  deletedAt!: Date | null;
}

export const MediaSchema = new EntitySchema<Media>({
  class: Media,
  tableName: 'media',
  properties: {
    id: { type: 'uuid', primary: true },
    ownerId: { type: 'uuid' },
    purpose: { type: 'text' },
    kind: { type: 'text' },
    name: { type: 'text' },
    mime: { type: 'text' },
    size: { type: new BigIntType('number') },
    sha256: { type: 'text' },
    status: { type: 'text' },
    failureReason: { type: 'text', nullable: true },
    width: { type: 'integer', nullable: true },
    height: { type: 'integer', nullable: true },
    durationMs: { type: 'integer', nullable: true },
    storageKey: { type: 'text' },
    variants: { type: 'json' },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    processedAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
    attachedAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
    deletedAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
  },
});
