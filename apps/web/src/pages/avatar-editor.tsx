import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Avatar } from '../components/avatar.js';
import { FormError, FormStatus } from '../components/form-parts.js';
import { failureText } from '../i18n/failure-text.js';
import type { Media } from '../sdk.js';
import { useSession, useUser } from '../session/session-context.js';

/** How long the crop of a fresh upload is waited for before the profile points at it anyway. */
const READY_POLLS = 30;
const POLL_MS = 1_000;

/**
 * The profile picture: upload (POST /media, purpose avatar, with progress), wait for its square crop,
 * then make it the avatar (PATCH /profile avatarMediaId); or remove it.
 */
export function AvatarEditor() {
  const { t } = useTranslation();
  const { api, client, setUser } = useSession();
  const user = useUser();
  const [percent, setPercent] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const settle = async (media: Media): Promise<void> => {
    for (let i = 0; i < READY_POLLS && media.status === 'processing'; i++) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      media = await api.getMedia({ params: { id: media.id } });
    }
  };

  const choose = async (file: File) => {
    setError(null);
    setSaved(false);
    setPercent(0);
    try {
      const media = await client.media.upload(file, {
        purpose: 'avatar',
        onProgress: (sent, total) => setPercent(total > 0 ? Math.round((sent / total) * 100) : 100),
      });
      await settle(media);
      setUser(await api.updateProfile({ body: { avatarMediaId: media.id } }));
      setSaved(true);
    } catch (failure) {
      setError(failureText(failure, t));
    } finally {
      setPercent(null);
    }
  };

  const remove = async () => {
    setError(null);
    setSaved(false);
    try {
      setUser(await api.updateProfile({ body: { avatarMediaId: null } }));
    } catch (failure) {
      setError(failureText(failure, t));
    }
  };

  return (
    <section className="avatar-editor" aria-labelledby="avatar-title">
      <h2 id="avatar-title">{t('media.avatar')}</h2>
      <Avatar name={user.displayName} url={user.avatarUrl} size="large" labelled />
      <label className="button">
        {t('media.chooseAvatar')}
        <input
          type="file"
          accept="image/*"
          className="visually-hidden"
          disabled={percent !== null}
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) void choose(file);
          }}
        />
      </label>
      {user.avatarUrl ? (
        <button type="button" onClick={() => void remove()}>
          {t('media.removeAvatar')}
        </button>
      ) : null}
      {percent === null ? null : <progress max={100} value={percent} aria-label={t('media.avatar')} />}
      <FormError message={error} />
      <FormStatus message={saved ? t('media.avatarSaved') : null} />
    </section>
  );
}
