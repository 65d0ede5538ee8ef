import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './api-client';

export type QueryState<T> =
  | { status: 'pending' }
  | { status: 'success'; data: T }
  | { status: 'error'; error: ApiError };

/**
 * One request per mounted component, cancelled on unmount, with a `retry`. Deliberately tiny: server
 * truth lives in the BFF and the SPA reads only a handful of small resources.
 */
export function useQuery<T>(fetcher: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[] = []) {
  const [state, setState] = useState<QueryState<T>>({ status: 'pending' });
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: callers pass the fetcher's inputs as deps.
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'pending' });
    fetcher(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'success', data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({
          status: 'error',
          error:
            error instanceof ApiError
              ? error
              : new ApiError({ status: 0, code: 'internal', message: String(error), cause: error }),
        });
      },
    );
    return () => controller.abort();
  }, [attempt, ...deps]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, retry };
}
