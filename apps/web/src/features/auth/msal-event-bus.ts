import type {
  EventCallbackFunction,
  EventError,
  EventMessage,
  EventPayload,
  EventType,
  InteractionType,
} from '@azure/msal-browser';

export function newCorrelationId(): string {
  return globalThis.crypto.randomUUID();
}

/** msal's event callbacks (`addEventCallback`), which msal-react's provider reduces into `inProgress`. */
export type MsalEventBus = {
  add(callback: EventCallbackFunction, eventTypes?: readonly EventType[]): string;
  remove(callbackId: string): void;
  emit(
    eventType: EventType,
    interactionType?: InteractionType | null,
    payload?: EventPayload,
    error?: EventError,
    correlationId?: string,
  ): void;
  clear(): void;
};

/**
 * Events, not state: every emit reaches the callbacks registered at that moment, in order, and
 * nothing is replayed to later ones (as msal-browser's own event handler does).
 */
export function createMsalEventBus(): MsalEventBus {
  const callbacks = new Map<string, { callback: EventCallbackFunction; types: readonly EventType[] }>();
  return {
    add(callback, eventTypes) {
      const id = newCorrelationId();
      callbacks.set(id, { callback, types: eventTypes ?? [] });
      return id;
    },
    remove(callbackId) {
      callbacks.delete(callbackId);
    },
    emit(
      eventType,
      interactionType = null,
      payload = null,
      error = null,
      correlationId = newCorrelationId(),
    ) {
      const message: EventMessage = {
        eventType,
        interactionType,
        payload,
        error,
        correlationId,
        timestamp: Date.now(),
      };
      for (const { callback, types } of [...callbacks.values()]) {
        if (types.length === 0 || types.includes(eventType)) callback(message);
      }
    },
    clear() {
      callbacks.clear();
    },
  };
}
