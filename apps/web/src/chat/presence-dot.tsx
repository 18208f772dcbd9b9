import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useOptionalChat } from './chat-provider.js';

/**
 * A user's online dot, live from the socket's presence frames (every user shown is watched). An image
 * with a name ("online" / "offline"), so the state is not told by colour alone.
 */
export function PresenceDot({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const chat = useOptionalChat();
  if (!chat) return null;
  const online = chat.state.online[userId] === true;
  const label = online ? t('chat.online') : t('chat.offline');
  return <span className={online ? 'dot online' : 'dot'} role="img" aria-label={label} title={label} />;
}

/** Watches the presence of users a page shows outside the chat (the SDK keeps each id watched once). */
export function useWatchPresence(userIds: readonly string[]): void {
  const chat = useOptionalChat();
  const watch = chat?.actions.watchPresence;
  const key = [...userIds].sort().join(',');
  useEffect(() => {
    if (watch && key !== '') watch(key.split(','));
  }, [watch, key]);
}
