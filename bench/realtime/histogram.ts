/**
 * A log-bucketed latency histogram in microseconds: each bucket is 1% wider than the one
 * before, so percentiles are within 1% of the true value (the max is kept exactly).
 * Cheap to record into and to merge across load-generator processes.
 */
const GROWTH = Math.log(1.01);
const BUCKETS = 2000; // 1.01^2000 µs ≈ 4e8 µs: anything longer lands in the last bucket

export interface HistogramData {
  /** [bucket index, count] for the non-empty buckets. */
  buckets: [number, number][];
  count: number;
  sumUs: number;
  maxUs: number;
}

export class Histogram {
  private readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  sumUs = 0;
  maxUs = 0;

  record(us: number): void {
    const v = us < 1 ? 1 : us;
    const i = Math.min(BUCKETS - 1, Math.floor(Math.log(v) / GROWTH));
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.count++;
    this.sumUs += v;
    if (v > this.maxUs) this.maxUs = v;
  }

  merge(data: HistogramData): void {
    for (const [i, n] of data.buckets) this.counts[i] = (this.counts[i] ?? 0) + n;
    this.count += data.count;
    this.sumUs += data.sumUs;
    if (data.maxUs > this.maxUs) this.maxUs = data.maxUs;
  }

  /** The value below which `p` (0..1) of the recordings fall, in ms (NaN when empty). */
  percentileMs(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(p * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return Math.min(this.maxUs, Math.exp((i + 1) * GROWTH)) / 1000;
    }
    return this.maxUs / 1000;
  }

  maxMs(): number {
    return this.count === 0 ? Number.NaN : this.maxUs / 1000;
  }

  meanMs(): number {
    return this.count === 0 ? Number.NaN : this.sumUs / this.count / 1000;
  }

  toJSON(): HistogramData {
    const buckets: [number, number][] = [];
    for (let i = 0; i < BUCKETS; i++) {
      const n = this.counts[i] ?? 0;
      if (n > 0) buckets.push([i, n]);
    }
    return { buckets, count: this.count, sumUs: this.sumUs, maxUs: this.maxUs };
  }
}
