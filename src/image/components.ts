// 8-connected components of the ink, with hysteresis: a component is the set of
// connected pixels with any ink (> 0) and is kept only if it holds at least one
// strong (certain) pixel, so faint edges stay attached while faint noise goes.

import { scratchI32, scratchU8 } from './scratch.js';

export interface Components {
  /** Component id per pixel: 1..count, 0 for background or dropped pixels. */
  readonly labels: Int32Array;
  readonly count: number;
  /** Per component, indexed by id (index 0 unused). */
  readonly area: Int32Array; // pixels with any ink
  readonly strongArea: Int32Array;
  readonly x0: Int32Array;
  readonly y0: Int32Array;
  readonly x1: Int32Array; // inclusive
  readonly y1: Int32Array; // inclusive
}

export function labelComponents(ink: Float32Array, strong: Uint8Array, width: number, height: number): Components {
  const n = width * height;
  const labels = new Int32Array(n);
  const parent = scratchI32('components.parent', (n >> 1) + 2); // entries are set before they are read
  let next = 1;
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]!]!;
      a = parent[a]!;
    }
    return a;
  };
  const union = (a: number, b: number): number => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return ra;
    if (ra < rb) {
      parent[rb] = ra;
      return ra;
    }
    parent[ra] = rb;
    return rb;
  };
  // First pass: provisional labels from the already visited neighbours (W, NW, N, NE).
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      if (ink[i]! <= 0) continue;
      let label = 0;
      if (x > 0 && labels[i - 1]) label = labels[i - 1]!;
      if (y > 0) {
        const up = i - width;
        if (x > 0 && labels[up - 1]) label = label ? union(label, labels[up - 1]!) : labels[up - 1]!;
        if (labels[up]) label = label ? union(label, labels[up]!) : labels[up]!;
        if (x < width - 1 && labels[up + 1]) label = label ? union(label, labels[up + 1]!) : labels[up + 1]!;
      }
      if (!label) {
        if (next >= parent.length) throw new Error('component table overflow'); // cannot happen for 8-connectivity
        label = next;
        parent[next] = next;
        next++;
      }
      labels[i] = label;
    }
  }
  // Resolve to roots; keep roots that own a strong pixel.
  const hasStrong = scratchU8('components.hasStrong', next, true);
  for (let i = 0; i < n; i++) {
    if (!labels[i]) continue;
    const root = find(labels[i]!);
    labels[i] = root;
    if (strong[i]) hasStrong[root] = 1;
  }
  const finalId = scratchI32('components.finalId', next, true);
  let count = 0;
  for (let l = 1; l < next; l++) if (parent[l] === l && hasStrong[l]) finalId[l] = ++count;

  const area = new Int32Array(count + 1);
  const strongArea = new Int32Array(count + 1);
  const x0 = new Int32Array(count + 1).fill(width);
  const y0 = new Int32Array(count + 1).fill(height);
  const x1 = new Int32Array(count + 1).fill(-1);
  const y1 = new Int32Array(count + 1).fill(-1);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      if (!labels[i]) continue;
      const id = finalId[labels[i]!]!;
      labels[i] = id;
      if (!id) continue;
      area[id]!++;
      if (strong[i]) strongArea[id]!++;
      if (x < x0[id]!) x0[id] = x;
      if (x > x1[id]!) x1[id] = x;
      if (y < y0[id]!) y0[id] = y;
      if (y > y1[id]!) y1[id] = y;
    }
  }
  return { labels, count, area, strongArea, x0, y0, x1, y1 };
}
