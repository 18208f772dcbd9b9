/** What one tab tells the others about the shared session. */
export type TabMessage =
  { type: 'token'; accessToken: string; expiresAt: number } | { type: 'signedOut'; reason: string };

/**
 * Coordination between the tabs of one browser that share a session (cookie mode): one refresh at a
 * time across all of them, and the new access token handed to the others instead of each refreshing
 * (a second refresh would only rotate the cookie again).
 */
export interface TabSync {
  /** Runs `task` while holding the refresh lock of every tab (or just runs it, where there are no locks). */
  withLock<T>(task: () => Promise<T>): Promise<T>;
  publish(message: TabMessage): void;
  onMessage(handler: (message: TabMessage) => void): void;
  close(): void;
}

interface LockManager {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** The same process only: no other tab to talk to (Node, or a browser without these APIs). */
export const soloTab: TabSync = {
  withLock: (task) => task(),
  publish: () => undefined,
  onMessage: () => undefined,
  close: () => undefined,
};

/**
 * Web Locks (`navigator.locks`) where present, BroadcastChannel where present; whichever is missing
 * degrades to this tab alone. `name` separates the sessions of different APIs in one browser.
 */
export function browserTabSync(name: string): TabSync {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : null;
  return {
    withLock: (task) => (locks ? locks.request(`${name}:refresh`, task) : task()),
    publish: (message) => channel?.postMessage(message),
    onMessage: (handler) => {
      if (channel) channel.onmessage = (event: MessageEvent<TabMessage>) => handler(event.data);
    },
    close: () => channel?.close(),
  };
}
