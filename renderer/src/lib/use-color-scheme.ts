import { useSyncExternalStore } from 'react';

const query = () => window.matchMedia('(prefers-color-scheme: dark)');

/** The OS light/dark setting now. */
export const colorScheme = (): 'light' | 'dark' => (query().matches ? 'dark' : 'light');

/** Follows the OS light/dark setting as it changes. */
export function useColorScheme(): 'light' | 'dark' {
  return useSyncExternalStore((notify) => {
    const mq = query();
    mq.addEventListener('change', notify);
    return () => mq.removeEventListener('change', notify);
  }, colorScheme);
}
