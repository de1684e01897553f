import { useCallback, useEffect, useState } from 'react';

export type LoadState<T> =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'ready'; data: T; error?: undefined }
  | { status: 'failed'; data?: undefined; error: unknown };

/**
 * Runs `load` when the component mounts and whenever `key` changes, aborting the previous call,
 * and gives its state. `reload` runs it again with the same key, showing the loading state;
 * `refresh` runs it again while the data already shown stays on screen (after an action on the
 * page, so that the page does not flash and keeps its scroll position).
 */
export function useLoader<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
): LoadState<T> & { reload: () => void; refresh: () => void } {
  const [state, setState] = useState<LoadState<T>>({ status: 'loading' });
  // `quietFor` is the key whose data may stay shown while it is fetched again.
  const [run, setRun] = useState<{ generation: number; quietFor?: string }>({ generation: 0 });

  useEffect(() => {
    const controller = new AbortController();
    if (run.quietFor !== key) setState({ status: 'loading' });
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'failed', error });
      },
    );
    return () => controller.abort();
    // `load` is a fresh closure on every render on purpose; `key` names what it loads.
  }, [key, run]);

  const reload = useCallback(
    () => setRun((previous) => ({ generation: previous.generation + 1 })),
    [],
  );
  const refresh = useCallback(
    () => setRun((previous) => ({ generation: previous.generation + 1, quietFor: key })),
    [key],
  );
  return { ...state, reload, refresh };
}
