/** What one tab tells the others. Nothing else is accepted from the channel. */
export type AuthChannelMessage = { type: 'signed-in' } | { type: 'signed-out' };

export type AuthChannel = {
  post(message: AuthChannelMessage): void;
  subscribe(listener: (message: AuthChannelMessage) => void): () => void;
  close(): void;
};

export const authChannelName = 'gatehouse-auth';

type ChannelLike = Pick<
  BroadcastChannel,
  'postMessage' | 'addEventListener' | 'removeEventListener' | 'close'
>;

function isMessage(data: unknown): data is AuthChannelMessage {
  if (typeof data !== 'object' || data === null) return false;
  const type = (data as { type?: unknown }).type;
  return type === 'signed-in' || type === 'signed-out';
}

/**
 * Sign-in and sign-out news between the tabs of this browser (same origin only, by BroadcastChannel's
 * design). Messages carry no user data: receivers ask the BFF what changed. Without BroadcastChannel
 * (old browsers) tabs simply re-check when they become visible.
 */
export function createAuthChannel(
  deps: { createChannel?: ((name: string) => ChannelLike) | null } = {},
  options: { name?: string } = {},
): AuthChannel {
  const create =
    deps.createChannel === undefined
      ? typeof BroadcastChannel === 'function'
        ? (name: string) => new BroadcastChannel(name)
        : null
      : deps.createChannel;
  const channel = create?.(options.name ?? authChannelName) ?? null;
  const unsubscribers = new Set<() => void>();
  return {
    post(message) {
      channel?.postMessage(message);
    },
    subscribe(listener) {
      if (!channel) return () => {};
      const onMessage = (event: MessageEvent) => {
        if (isMessage(event.data)) listener({ type: event.data.type });
      };
      channel.addEventListener('message', onMessage);
      const unsubscribe = () => {
        channel.removeEventListener('message', onMessage);
        unsubscribers.delete(unsubscribe);
      };
      unsubscribers.add(unsubscribe);
      return unsubscribe;
    },
    close() {
      for (const unsubscribe of [...unsubscribers]) unsubscribe();
      channel?.close();
    },
  };
}
