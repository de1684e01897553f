import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

/**
 * A list's filters kept in the URL, so that they survive a reload, the back button and a link
 * sent to a colleague. Each change is a history entry, so "back" undoes it.
 */
export function useUrlFilter<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(keys.map((key) => [key, params.get(key) ?? ''])) as Record<
    K,
    string
  >;
  const set = useCallback(
    (key: K, value: string | undefined) => {
      setParams((previous) => {
        const next = new URLSearchParams(previous);
        if (value === undefined || value === '') next.delete(key);
        else next.set(key, value);
        return next;
      });
    },
    [setParams],
  );
  return [values, set] as const;
}

/** `value` when it is one of `allowed`, else undefined. */
export function oneOf<V extends string>(allowed: readonly V[], value: string): V | undefined {
  return (allowed as readonly string[]).includes(value) ? (value as V) : undefined;
}
