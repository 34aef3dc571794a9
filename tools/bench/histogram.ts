/** A latency histogram with 0.1 ms buckets up to 60 s (mergeable across processes as a sparse array). */
export class Histogram {
  static readonly RESOLUTION_MS = 0.1;
  private readonly buckets = new Uint32Array(600_001);
  private countValue = 0;
  private maxValue = 0;

  record(ms: number): void {
    const value = Math.max(0, ms);
    const index = Math.min(this.buckets.length - 1, Math.round(value / Histogram.RESOLUTION_MS));
    this.buckets[index] = (this.buckets[index] ?? 0) + 1;
    this.countValue++;
    if (value > this.maxValue) this.maxValue = value;
  }

  get count(): number {
    return this.countValue;
  }

  get max(): number {
    return this.maxValue;
  }

  /** The value at quantile q (0..1), in ms. */
  quantile(q: number): number {
    if (this.countValue === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.countValue));
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i] ?? 0;
      if (seen >= rank) return i * Histogram.RESOLUTION_MS;
    }
    return this.maxValue;
  }

  /** Sparse [index, count] pairs plus the max, for IPC. */
  toJSON(): { pairs: [number, number][]; max: number } {
    const pairs: [number, number][] = [];
    this.buckets.forEach((count, index) => {
      if (count > 0) pairs.push([index, count]);
    });
    return { pairs, max: this.maxValue };
  }

  merge(data: { pairs: [number, number][]; max: number }): void {
    for (const [index, count] of data.pairs) {
      this.buckets[index] = (this.buckets[index] ?? 0) + count;
      this.countValue += count;
    }
    this.maxValue = Math.max(this.maxValue, data.max);
  }

  summary(): string {
    if (this.countValue === 0) return 'no samples';
    const f = (v: number): string => v.toFixed(1).padStart(8);
    return `p50 ${f(this.quantile(0.5))}  p95 ${f(this.quantile(0.95))}  p99 ${f(this.quantile(0.99))}  max ${f(this.max)} ms  (n=${this.countValue})`;
  }
}
