import { useSyncExternalStore } from 'react';

const query = () => window.matchMedia('(prefers-color-scheme: dark)');

/** Follows the OS light/dark setting as it changes. */
export function useColorScheme(): 'light' | 'dark' {
  return useSyncExternalStore(
    (notify) => {
      const mq = query();
      mq.addEventListener('change', notify);
      return () => mq.removeEventListener('change', notify);
    },
    () => (query().matches ? 'dark' : 'light'),
  );
}
