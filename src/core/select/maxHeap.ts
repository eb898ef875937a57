// A binary max-heap of (key, value) pairs on typed arrays: farthest-first selection pops the
// largest distance among hundreds of thousands of patterns, many times.

export class MaxHeap {
  private readonly keys: Float64Array;
  private readonly values: Int32Array;
  private count = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(Math.max(1, capacity));
    this.values = new Int32Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.count;
  }

  /** Largest key, or -Infinity when empty. */
  peekKey(): number {
    return this.count > 0 ? this.keys[0] : -Infinity;
  }

  push(key: number, value: number): void {
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent] >= key) break;
      this.keys[i] = this.keys[parent];
      this.values[i] = this.values[parent];
      i = parent;
    }
    this.keys[i] = key;
    this.values[i] = value;
  }

  /** Removes the entry with the largest key (ties: whichever the heap holds first) and returns its value. */
  pop(): number {
    const top = this.values[0];
    const lastKey = this.keys[--this.count];
    const lastValue = this.values[this.count];
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.count) break;
      const right = left + 1;
      const child = right < this.count && this.keys[right] > this.keys[left] ? right : left;
      if (this.keys[child] <= lastKey) break;
      this.keys[i] = this.keys[child];
      this.values[i] = this.values[child];
      i = child;
    }
    this.keys[i] = lastKey;
    this.values[i] = lastValue;
    return top;
  }

  clear(): void {
    this.count = 0;
  }
}
