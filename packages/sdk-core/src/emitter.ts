/** A typed event emitter: `on` returns the unsubscribe function. Model: Novu's event emitter types. */
export class Emitter<M extends object> {
  readonly #listeners = new Map<keyof M, Set<(payload: never) => void>>();
  readonly #onListenerError: (event: keyof M, err: unknown) => void;

  constructor(onListenerError: (event: keyof M, err: unknown) => void = () => {}) {
    this.#onListenerError = onListenerError;
  }

  on<E extends keyof M>(event: E, listener: (payload: M[E]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => this.off(event, listener);
  }

  off<E extends keyof M>(event: E, listener: (payload: M[E]) => void): void {
    this.#listeners.get(event)?.delete(listener as (payload: never) => void);
  }

  emit<E extends keyof M>(event: E, payload: M[E]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    // NOTE: a throwing listener must not stop the others nor the SDK's own processing.
    for (const listener of [...set]) {
      try {
        (listener as (payload: M[E]) => void)(payload);
      } catch (err) {
        this.#onListenerError(event, err);
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
