/** Request counters read by tests and benchmarks: token requests per grant type and client, Graph requests per path. */
export interface CounterSnapshot {
  token: Record<string, Record<string, number>>;
  /** HTTP round trips to Graph, per path (a `$batch` counts once, as `/v1.0/$batch`). */
  graph: Record<string, number>;
  /** Requests inside `$batch` bodies, per path. */
  graphBatched: Record<string, number>;
  /** GET requests to download URLs and the body bytes actually sent (a cut connection counts what went out). */
  downloads: { requests: number; bytes: number; items: Record<string, { requests: number; bytes: number }> };
}

export interface Counters {
  countToken(grantType: string, clientId: string): void;
  countGraph(path: string, batched: boolean): void;
  countDownload(itemId: string): void;
  countDownloadBytes(itemId: string, bytes: number): void;
  snapshot(): CounterSnapshot;
  reset(): void;
}

export function createCounters(): Counters {
  let state: CounterSnapshot = empty();
  const downloadsOf = (itemId: string) => {
    const found = state.downloads.items[itemId] ?? { requests: 0, bytes: 0 };
    state.downloads.items[itemId] = found;
    return found;
  };
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
    countDownload(itemId) {
      state.downloads.requests++;
      downloadsOf(itemId).requests++;
    },
    countDownloadBytes(itemId, bytes) {
      state.downloads.bytes += bytes;
      downloadsOf(itemId).bytes += bytes;
    },
    snapshot: () => structuredClone(state),
    reset() {
      state = empty();
    },
  };
}

function empty(): CounterSnapshot {
  return { token: {}, graph: {}, graphBatched: {}, downloads: { requests: 0, bytes: 0, items: {} } };
}
