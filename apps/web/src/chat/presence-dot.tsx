import { useTranslation } from 'react-i18next';
import { useChat } from './chat-provider.js';

/**
 * A user's online dot, live from the socket's presence frames (every user shown is watched). An image
 * with a name ("online" / "offline"), so the state is not told by colour alone.
 */
export function PresenceDot({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const online = useChat().state.online[userId] === true;
  const label = online ? t('chat.online') : t('chat.offline');
  return <span className={online ? 'dot online' : 'dot'} role="img" aria-label={label} title={label} />;
}
