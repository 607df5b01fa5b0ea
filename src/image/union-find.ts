// Union-find over a table of labels (components.ts: provisional pixel labels; shape.ts:
// background runs). parent[a] === a marks a root; roots are the smallest member of their set.

/** The root of a's set (halving the path on the way). */
export function findRoot(parent: Int32Array, a: number): number {
  while (parent[a] !== a) {
    parent[a] = parent[parent[a]!]!;
    a = parent[a]!;
  }
  return a;
}

/** Joins the sets of a and b under the smaller root, and returns it. */
export function union(parent: Int32Array, a: number, b: number): number {
  const ra = findRoot(parent, a);
  const rb = findRoot(parent, b);
  if (ra === rb) return ra;
  if (ra < rb) {
    parent[rb] = ra;
    return ra;
  }
  parent[ra] = rb;
  return rb;
}
