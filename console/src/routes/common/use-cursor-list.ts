import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../../api/types';

export interface CursorList<T> {
  items: T[];
  /** True while the first page or a further page is being fetched. */
  loading: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore: () => void;
  retry: () => void;
}

/**
 * A list read page by page with the API's `nextCursor`. Whenever `key` (the filter) changes the
 * list starts again from the first page; `loadMore` appends the next page.
 */
export function useCursorList<T>(
  key: string,
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>,
): CursorList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [nextCursor, setNextCursor] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(undefined);
  const controllerRef = useRef<AbortController | null>(null);
  const fetchRef = useRef(fetchPage);
  // Declared before the effect that fetches, so the newest `fetchPage` is used when `key` changes.
  useEffect(() => {
    fetchRef.current = fetchPage;
  });

  const run = useCallback((cursor: string | undefined, append: boolean) => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    setLoading(true);
    setError(undefined);
    fetchRef.current(cursor, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setItems((previous) => (append ? [...previous, ...page.items] : page.items));
        setNextCursor(page.nextCursor);
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(failure);
        setLoading(false);
      },
    );
  }, []);

  useEffect(() => {
    setItems([]);
    setNextCursor(undefined);
    run(undefined, false);
    return () => controllerRef.current?.abort();
  }, [key, run]);

  const loadMore = useCallback(() => {
    if (nextCursor !== undefined) run(nextCursor, true);
  }, [nextCursor, run]);

  // A failed first page is fetched again; a failed further page is asked for again.
  const retry = useCallback(() => {
    if (items.length === 0) run(undefined, false);
    else if (nextCursor !== undefined) run(nextCursor, true);
  }, [items.length, nextCursor, run]);

  return { items, loading, error, hasMore: nextCursor !== undefined, loadMore, retry };
}
