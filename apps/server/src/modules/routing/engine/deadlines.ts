/** A min-heap of timer deadlines. Entries are checked against the state when they fire,
 * so a deadline that no longer applies (offer accepted, session ended) is simply skipped. */
export interface Deadline {
  at: number;
  /** `retry`: an agent that declined a waiting session may be offered it again. */
  kind: 'offer' | 'wait' | 'step' | 'wrap_up' | 'talk' | 'retry';
  id: string;
}

export class DeadlineHeap {
  private readonly items: Deadline[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Deadline | undefined {
    return this.items[0];
  }

  push(item: Deadline): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]!.at <= item.at) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = item;
  }

  pop(): Deadline | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || !last) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      const mAt = () => (m === i ? last.at : a[m]!.at);
      if (l < a.length && a[l]!.at < mAt()) m = l;
      if (r < a.length && a[r]!.at < mAt()) m = r;
      if (m === i) break;
      a[i] = a[m]!;
      i = m;
    }
    a[i] = last;
    return top;
  }
}
