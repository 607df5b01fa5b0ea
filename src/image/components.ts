// 8-connected components of the ink, with hysteresis: a component is the set of
// connected pixels with any ink (> 0) and is kept only if it holds at least one
// strong (certain) pixel, so faint edges stay attached while faint noise goes.

import { scratchI32, scratchU8 } from './scratch.js';
import { union } from './union-find.js';

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

/**
 * Two passes over the pixels that may have ink, `inked[0 .. inkCount)` (indices in increasing
 * order; every other pixel must have ink 0): provisional labels with a union-find table (each
 * set's root is its smallest label), then final ids, numbered in the order of the roots (the
 * order in which components first appear in raster order), with the per-component measurements.
 * `labels` (width × height zeros) becomes Components.labels.
 */
export function labelComponents(
  ink: Float32Array,
  strong: Uint8Array,
  width: number,
  height: number,
  inked: Int32Array,
  inkCount: number,
  labels: Int32Array,
): Components {
  const n = width * height;
  // Per provisional label: its parent, and whether a pixel given that label is strong.
  // Entries are set when the label is created, before they are read.
  const parent = scratchI32('components.parent', (n >> 1) + 2);
  const labelStrong = scratchU8('components.labelStrong', (n >> 1) + 2);
  let next = 1;
  // First pass: provisional labels from the already visited neighbours (W, NW, N, NE).
  for (let k = 0, y = 0, rowStart = 0; k < inkCount; k++) {
    const i = inked[k]!;
    if (ink[i]! <= 0) continue;
    while (i >= rowStart + width) {
      rowStart += width;
      y++;
    }
    const x = i - rowStart;
    const up = i - width;
    let label = y > 0 ? labels[up]! : 0;
    // N is a neighbour of W, NW and NE, so any of them with ink is in N's set already.
    if (!label) {
      // W and NW are neighbours of each other (so in one set); NE is a neighbour of neither.
      if (x > 0) label = labels[i - 1]! || (y > 0 ? labels[up - 1]! : 0);
      if (y > 0 && x < width - 1 && labels[up + 1]) label = label ? union(parent, label, labels[up + 1]!) : labels[up + 1]!;
    }
    if (!label) {
      if (next >= parent.length) throw new Error('component table overflow'); // cannot happen for 8-connectivity
      label = next;
      parent[next] = next;
      labelStrong[next] = 0;
      next++;
    }
    labels[i] = label;
    if (strong[i]) labelStrong[label] = 1;
  }
  // Resolve every label to its root (a parent is never larger than its child, so in
  // increasing order each parent is already resolved); keep roots that own a strong pixel.
  for (let l = 1; l < next; l++) {
    const root = parent[parent[l]!]!;
    parent[l] = root;
    if (labelStrong[l]) labelStrong[root] = 1;
  }
  const finalId = scratchI32('components.finalId', next);
  let count = 0;
  for (let l = 1; l < next; l++) {
    const root = parent[l]!;
    finalId[l] = root === l ? (labelStrong[l] ? ++count : 0) : finalId[root]!;
  }

  const area = new Int32Array(count + 1);
  const strongArea = new Int32Array(count + 1);
  const x0 = new Int32Array(count + 1).fill(width);
  const y0 = new Int32Array(count + 1).fill(height);
  const x1 = new Int32Array(count + 1).fill(-1);
  const y1 = new Int32Array(count + 1).fill(-1);
  for (let k = 0, y = 0, rowStart = 0; k < inkCount; k++) {
    const i = inked[k]!;
    if (!labels[i]) continue;
    const id = finalId[labels[i]!]!;
    labels[i] = id;
    if (!id) continue;
    while (i >= rowStart + width) {
      rowStart += width;
      y++;
    }
    const x = i - rowStart;
    area[id]!++;
    if (strong[i]) strongArea[id]!++;
    if (x < x0[id]!) x0[id] = x;
    if (x > x1[id]!) x1[id] = x;
    if (y < y0[id]!) y0[id] = y;
    if (y > y1[id]!) y1[id] = y;
  }
  return { labels, count, area, strongArea, x0, y0, x1, y1 };
}
