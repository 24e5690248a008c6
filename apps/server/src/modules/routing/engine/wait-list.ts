/** Sessions waiting for one queue's agents, kept in serving order: priority (high first),
 * then arrival (first come, first served), then a sequence number for equal times. */
export interface Ordered {
  id: string;
  priority: number;
  arrivedAt: number;
  order: number;
}

export function servesBefore(a: Ordered, b: Ordered): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.arrivedAt !== b.arrivedAt) return a.arrivedAt < b.arrivedAt;
  return a.order < b.order;
}

export class WaitList<T extends Ordered> {
  private readonly items: T[] = [];

  get length(): number {
    return this.items.length;
  }

  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }

  insert(item: T): void {
    const i = this.indexFor(item);
    if (this.items[i]?.id === item.id) return;
    this.items.splice(i, 0, item);
  }

  remove(item: T): void {
    const i = this.indexFor(item);
    if (this.items[i]?.id === item.id) this.items.splice(i, 1);
  }

  /** 1-based position, or 0 when absent. */
  positionOf(item: T): number {
    const i = this.indexFor(item);
    return this.items[i]?.id === item.id ? i + 1 : 0;
  }

  /** First index whose item does not serve before `item` (binary search). */
  private indexFor(item: T): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (servesBefore(this.items[mid]!, item)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
