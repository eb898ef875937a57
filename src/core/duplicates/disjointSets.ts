// Union-find with path halving: groups of images linked by "is a near-duplicate of".

export class DisjointSets {
  private readonly parent: Int32Array;

  constructor(size: number) {
    this.parent = Int32Array.from({ length: size }, (_, i) => i);
  }

  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]];
      i = this.parent[i];
    }
    return i;
  }

  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    // The smaller index becomes the root, so groups come out in a stable order.
    if (ra < rb) this.parent[rb] = ra;
    else if (rb < ra) this.parent[ra] = rb;
  }

  /** Groups with at least `minSize` members, each sorted, ordered by their first member. */
  groups(minSize = 2): number[][] {
    const byRoot = new Map<number, number[]>();
    for (let i = 0; i < this.parent.length; i++) {
      const root = this.find(i);
      byRoot.set(root, [...(byRoot.get(root) ?? []), i]);
    }
    return [...byRoot.values()].filter((g) => g.length >= minSize).sort((a, b) => a[0] - b[0]);
  }
}
