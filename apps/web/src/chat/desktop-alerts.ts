import { useEffect, useRef, useState } from 'react';
import { i18n } from '../i18n/i18n.js';
import type { ChatState } from './chat-state.js';
import { displayText } from './message-text.js';
import { personLabel } from './people.js';

type Permission = NotificationPermission | 'unsupported';

function permissionNow(): Permission {
  return typeof Notification === 'function' ? Notification.permission : 'unsupported';
}

/** The browser's permission for desktop notifications, and the way to ask for it (on a click only). */
export function useNotificationPermission(): { permission: Permission; ask(): void } {
  const [permission, setPermission] = useState<Permission>(permissionNow);
  return {
    permission,
    ask() {
      if (typeof Notification !== 'function') return;
      void Notification.requestPermission().then(setPermission);
    },
  };
}

/**
 * While the tab is hidden, new notifications and messages from others become desktop notifications,
 * once the person has allowed them. Nothing is shown for what was there before the page loaded.
 */
export function useDesktopAlerts(state: ChatState, me: string): void {
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    const current = [
      ...state.notices.map((n) => ({ id: n.id, title: i18n.t('notifications.title'), body: n.message })),
      ...Object.values(state.conversations).flatMap((c) =>
        c.lastMessage && c.lastMessage.from !== me && !c.lastMessage.deleted
          ? [
              {
                id: c.lastMessage.id,
                title: personLabel(c.lastMessage.from, me, state.names),
                body: displayText(c.lastMessage.text),
              },
            ]
          : [],
      ),
    ];
    if (seen.current === null) {
      seen.current = new Set(current.map((item) => item.id));
      return;
    }
    const fresh = current.filter((item) => !seen.current?.has(item.id));
    for (const item of fresh) seen.current.add(item.id);
    if (!document.hidden || permissionNow() !== 'granted') return;
    for (const item of fresh) new Notification(item.title, { body: item.body, tag: item.id });
  }, [state.notices, state.conversations, state.names, me]);
}
