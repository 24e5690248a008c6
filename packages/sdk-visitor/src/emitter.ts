/** A typed event emitter: `on()` returns its own unsubscribe. Model: Novu's event-emitter types. */
export class Emitter<Events extends object> {
  private readonly handlers = new Map<keyof Events, Set<(payload: any) => void>>();

  constructor(private readonly onListenerError: (name: keyof Events, err: unknown) => void) {}

  on<K extends keyof Events>(name: K, handler: (payload: Events[K]) => void): () => void {
    let set = this.handlers.get(name);
    if (!set) this.handlers.set(name, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  }

  emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    const set = this.handlers.get(name);
    if (!set) return;
    for (const handler of [...set]) {
      try {
        handler(payload);
      } catch (err) {
        // An embedder's handler that throws must not stop delivery to the others.
        this.onListenerError(name, err);
      }
    }
  }

  clear(): void {
    this.handlers.clear();
  }
}
