/** Request counters read by tests and benchmarks: token requests per grant type and client, Graph requests per path. */
export interface CounterSnapshot {
  token: Record<string, Record<string, number>>;
  /** HTTP round trips to Graph, per path (a `$batch` counts once, as `/v1.0/$batch`). */
  graph: Record<string, number>;
  /** Requests inside `$batch` bodies, per path. */
  graphBatched: Record<string, number>;
}

export interface Counters {
  countToken(grantType: string, clientId: string): void;
  countGraph(path: string, batched: boolean): void;
  snapshot(): CounterSnapshot;
  reset(): void;
}

export function createCounters(): Counters {
  let state: CounterSnapshot = empty();
  return {
    countToken(grantType, clientId) {
      const byClient = state.token[grantType] ?? {};
      byClient[clientId] = (byClient[clientId] ?? 0) + 1;
      state.token[grantType] = byClient;
    },
    countGraph(path, batched) {
      const table = batched ? state.graphBatched : state.graph;
      table[path] = (table[path] ?? 0) + 1;
    },
    snapshot: () => structuredClone(state),
    reset() {
      state = empty();
    },
  };
}

function empty(): CounterSnapshot {
  return { token: {}, graph: {}, graphBatched: {} };
}
