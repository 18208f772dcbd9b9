import { useEffect, useState } from 'react';

/**
 * Calls `load` now and every `everyMs` while the component is on screen and the tab is visible, and
 * keeps the newest answer; a failed poll keeps the last good value (the next one may work).
 */
export function usePolling<T>(load: () => Promise<T>, everyMs: number): T | undefined {
  const [value, setValue] = useState<T>();
  useEffect(() => {
    let live = true;
    const tick = () => {
      if (document.visibilityState === 'hidden') return;
      load().then(
        (next) => live && setValue(next),
        () => undefined,
      );
    };
    tick();
    const timer = setInterval(tick, everyMs);
    document.addEventListener('visibilitychange', tick);
    return () => {
      live = false;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
    };
  }, [load, everyMs]);
  return value;
}
