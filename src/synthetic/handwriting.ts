// Seeded synthetic handwriting: digits drawn from stroke skeletons with a random pose and pen,
// painted on paper or a chalkboard (colour, uneven light, texture, noise), encoded as PNG or
// JPEG in many colour types. The tests' fixtures and bench/load.ts both draw with it.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { Box } from '../image/types.js';
import { drawPolylines, GLYPHS, linesBounds, placeGlyph, randomPose } from './glyphs.js';
import { encodePng } from './png-encode.js';
import type { Rng } from './rng.js';

export type Encoding =
  | 'png-grey' | 'png-grey1' | 'png-grey16' | 'png-rgb' | 'png-rgb16' | 'png-rgba'
  | 'png-rgba-transparent' | 'png-grey-alpha' | 'png-palette' | 'png-palette-transparent'
  | 'jpeg-30' | 'jpeg-50' | 'jpeg-75';

export type Rgb = [number, number, number];

/** Ink coverage (0..1) of a drawing before it is painted. */
export interface Drawing {
  width: number;
  height: number;
  coverage: Float32Array;
  boxes: Box[];
  label: string;
}

export interface Look {
  paper: Rgb;
  ink: Rgb;
  /** 0..1 darkening across the page. */
  lighting: number;
  /** Amplitude of paper texture. */
  texture: number;
  /** Gaussian noise σ (0..1 units). */
  noise: number;
}

export interface DrawOptions {
  width: number;
  height: number;
  /** Digit height in pixels (random if absent). */
  size?: number;
  /** Stroke radius as a fraction of the digit height (random if absent). */
  radiusFraction?: number;
  /** Gap between digits as a fraction of the height; negative overlaps (touching digits). */
  gaps?: number[];
  /** Style variant per digit (random if absent). */
  variants?: number[];
}

/** Draws `text` (digits) as one line of handwriting, positioned at random on the canvas. */
export function drawDigits(rng: Rng, text: string, o: DrawOptions): Drawing {
  const { width, height } = o;
  const n = text.length;
  const size = o.size ?? rng.range(0.4, 0.7) * Math.min(height, (1.25 * width) / n);
  const radius = Math.max(0.7, size * (o.radiusFraction ?? rng.range(0.025, 0.075)));
  // Place glyphs left to right at the origin, then shift the whole line to a random spot.
  const placed: number[][][] = [];
  const bounds: [number, number, number, number][] = [];
  let penX = 0;
  for (let i = 0; i < n; i++) {
    const d = Number(text[i]);
    const variants = GLYPHS[d]!;
    const variant = variants[(o.variants?.[i] ?? rng.int(0, variants.length - 1)) % variants.length]!;
    const pose = { ...randomPose(rng, size * rng.range(0.92, 1.08), 0, rng.range(-0.04, 0.04) * size, 0), radius };
    const lines = placeGlyph(variant, pose, rng);
    const b = linesBounds(lines, radius);
    const gap = (o.gaps?.[i - 1] ?? rng.range(0.08, 0.3)) * size;
    const shift = i === 0 ? -b[0] : penX + gap - b[0];
    placed.push(lines.map((l) => l.map((v, k) => (k % 2 === 0 ? v + shift : v))));
    bounds.push([b[0] + shift, b[1], b[2] + shift, b[3]]);
    penX = b[2] + shift;
  }
  const lineW = penX;
  const top = Math.min(...bounds.map((b) => b[1]));
  const bottom = Math.max(...bounds.map((b) => b[3]));
  const ox = rng.range(0.05 * width, Math.max(0.05 * width, 0.95 * width - lineW));
  const oy = rng.range(0.05 * height - top, Math.max(0.05 * height - top, 0.95 * height - bottom));
  const coverage = new Float32Array(width * height);
  const boxes: Box[] = [];
  placed.forEach((lines, i) => {
    drawPolylines(coverage, width, height, lines.map((l) => l.map((v, k) => v + (k % 2 === 0 ? ox : oy))), radius);
    const [x0, y0, x1, y1] = bounds[i]!;
    const bx = Math.max(0, Math.floor(x0 + ox));
    const by = Math.max(0, Math.floor(y0 + oy));
    boxes.push({ x: bx, y: by, width: Math.min(width, Math.ceil(x1 + ox)) - bx, height: Math.min(height, Math.ceil(y1 + oy)) - by });
  });
  return { width, height, coverage, boxes, label: text };
}

export function randomLook(rng: Rng, kind: 'pen' | 'chalk' | 'colour' | 'clean'): Look {
  const grey = (v: number): Rgb => [v, v, v];
  switch (kind) {
    case 'clean':
      return { paper: grey(1), ink: grey(0), lighting: 0, texture: 0, noise: 0 };
    case 'pen':
      return {
        paper: grey(rng.range(0.85, 1)),
        ink: rng.pick<Rgb>([[0.05, 0.05, 0.1], [0.1, 0.15, 0.5], [0.2, 0.2, 0.2]]),
        lighting: rng.range(0, 0.35),
        texture: rng.range(0, 0.04),
        noise: rng.range(0, 0.03),
      };
    case 'chalk':
      return { paper: [0.12, rng.range(0.15, 0.3), 0.15], ink: grey(rng.range(0.8, 0.95)), lighting: rng.range(0, 0.4), texture: rng.range(0.02, 0.06), noise: rng.range(0.01, 0.04) };
    case 'colour':
      return {
        paper: rng.pick<Rgb>([[1, 0.95, 0.6], [0.75, 0.9, 1], [1, 0.85, 0.85], [0.85, 1, 0.8]]),
        ink: rng.pick<Rgb>([[0.8, 0.1, 0.1], [0.1, 0.2, 0.7], [0.1, 0.45, 0.15], [0.45, 0.1, 0.5]]),
        lighting: rng.range(0.1, 0.45),
        texture: rng.range(0.01, 0.05),
        noise: rng.range(0.01, 0.05),
      };
  }
}

/** Smooth random field in [-1, 1]: random values on a grid of `cell` pixels, bilinearly interpolated. */
export function valueNoise(rng: Rng, width: number, height: number, cell: number): Float32Array {
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const grid = new Float32Array(gw * gh);
  for (let i = 0; i < grid.length; i++) grid[i] = rng.range(-1, 1);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const gy = y / cell;
    const y0 = Math.floor(gy);
    const fy = gy - y0;
    for (let x = 0; x < width; x++) {
      const gx = x / cell;
      const x0 = Math.floor(gx);
      const fx = gx - x0;
      const a = grid[y0 * gw + x0]! * (1 - fx) + grid[y0 * gw + x0 + 1]! * fx;
      const b = grid[(y0 + 1) * gw + x0]! * (1 - fx) + grid[(y0 + 1) * gw + x0 + 1]! * fx;
      out[y * width + x] = a * (1 - fy) + b * fy;
    }
  }
  return out;
}

/** Paints coverage with a look: ink over paper, paper texture, lighting gradient, noise. RGBA bytes, opaque. */
export function paint(rng: Rng, d: { width: number; height: number; coverage: Float32Array }, look: Look): Uint8Array {
  const { width, height, coverage } = d;
  const rgba = new Uint8Array(width * height * 4);
  const fine = look.texture > 0 ? valueNoise(rng, width, height, 3) : null;
  const coarse = look.texture > 0 ? valueNoise(rng, width, height, 25) : null;
  const angle = rng.range(0, 2 * Math.PI);
  const gx = Math.cos(angle) / width;
  const gy = Math.sin(angle) / height;
  const shadowX = rng.range(0, width);
  const shadowY = rng.range(0, height);
  const shadowR = rng.range(0.5, 1.2) * Math.max(width, height);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const v = coverage[i]!;
      const t = fine ? look.texture * (0.6 * fine[i]! + 0.4 * coarse![i]!) : 0;
      const ramp = 0.5 + (x - width / 2) * gx + (y - height / 2) * gy; // 0..1 across the page
      const dist = Math.hypot(x - shadowX, y - shadowY) / shadowR;
      const light = 1 - look.lighting * (0.7 * ramp + 0.3 * Math.min(1, dist));
      const n = look.noise > 0 ? look.noise * rng.gauss() : 0;
      for (let c = 0; c < 3; c++) {
        const base = look.paper[c]! * (1 - v) + look.ink[c]! * v + t * (1 - v);
        rgba[i * 4 + c] = Math.round(255 * Math.min(1, Math.max(0, base * light + n)));
      }
      rgba[i * 4 + 3] = 255;
    }
  }
  return rgba;
}

/** Encodes painted pixels (and, for transparent encodings, the coverage as alpha) to file bytes. */
export function encode(
  rgba: Uint8Array,
  width: number,
  height: number,
  encoding: Encoding,
  coverage?: Float32Array,
  inkColour: Rgb = [0, 0, 0],
): Uint8Array {
  const n = width * height;
  const luma = (i: number): number => Math.round(0.299 * rgba[4 * i]! + 0.587 * rgba[4 * i + 1]! + 0.114 * rgba[4 * i + 2]!);
  const alpha = (i: number): number => Math.round(255 * (coverage ? coverage[i]! : 1));
  switch (encoding) {
    case 'jpeg-30':
    case 'jpeg-50':
    case 'jpeg-75':
      return new Uint8Array(jpeg.encode({ data: rgba, width, height }, Number(encoding.slice(5))).data);
    case 'png-rgba':
    case 'png-rgb': {
      const png = new PNG({ width, height });
      png.data = Buffer.from(rgba);
      return new Uint8Array(PNG.sync.write(png, { colorType: encoding === 'png-rgb' ? 2 : 6 }));
    }
    case 'png-grey': {
      const s = new Uint8Array(n);
      for (let i = 0; i < n; i++) s[i] = luma(i);
      return encodePng({ width, height, colorType: 0, bitDepth: 8, samples: s });
    }
    case 'png-grey1': {
      // A bilevel scan: an adaptive scanner keeps the ink, not the lighting, so threshold the coverage.
      const s = new Uint8Array(n);
      for (let i = 0; i < n; i++) s[i] = (coverage ? coverage[i]! >= 0.5 : luma(i) < 128) ? 0 : 1;
      return encodePng({ width, height, colorType: 0, bitDepth: 1, samples: s });
    }
    case 'png-grey16': {
      const s = new Uint16Array(n);
      for (let i = 0; i < n; i++) s[i] = luma(i) * 257;
      return encodePng({ width, height, colorType: 0, bitDepth: 16, samples: s });
    }
    case 'png-rgb16': {
      const s = new Uint16Array(n * 3);
      for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) s[3 * i + c] = rgba[4 * i + c]! * 257;
      return encodePng({ width, height, colorType: 2, bitDepth: 16, samples: s });
    }
    case 'png-grey-alpha': {
      const s = new Uint8Array(n * 2);
      for (let i = 0; i < n; i++) {
        s[2 * i] = Math.round(255 * (0.299 * inkColour[0] + 0.587 * inkColour[1] + 0.114 * inkColour[2]));
        s[2 * i + 1] = alpha(i);
      }
      return encodePng({ width, height, colorType: 4, bitDepth: 8, samples: s });
    }
    case 'png-rgba-transparent': {
      const png = new PNG({ width, height });
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < 3; c++) png.data[4 * i + c] = Math.round(255 * inkColour[c]!);
        png.data[4 * i + 3] = alpha(i);
      }
      return new Uint8Array(PNG.sync.write(png, { colorType: 6 }));
    }
    case 'png-palette': {
      // 32 entries along the darkest → lightest colour of the picture; pixels pick the nearest by luminance.
      let lo = 0, hi = 0;
      for (let i = 1; i < n; i++) {
        if (luma(i) < luma(lo)) lo = i;
        if (luma(i) > luma(hi)) hi = i;
      }
      const k = 32;
      const palette = new Uint8Array(k * 3);
      for (let j = 0; j < k; j++) for (let c = 0; c < 3; c++) palette[3 * j + c] = Math.round(rgba[4 * lo + c]! + ((rgba[4 * hi + c]! - rgba[4 * lo + c]!) * j) / (k - 1));
      const span = Math.max(1, luma(hi) - luma(lo));
      const s = new Uint8Array(n);
      for (let i = 0; i < n; i++) s[i] = Math.round(((luma(i) - luma(lo)) / span) * (k - 1));
      return encodePng({ width, height, colorType: 3, bitDepth: 8, samples: s, palette });
    }
    case 'png-palette-transparent': {
      // 16 entries: index 0 fully transparent, others the ink colour at rising opacity.
      const k = 16;
      const palette = new Uint8Array(k * 3);
      const paletteAlpha = new Uint8Array(k);
      for (let j = 0; j < k; j++) {
        for (let c = 0; c < 3; c++) palette[3 * j + c] = Math.round(255 * inkColour[c]!);
        paletteAlpha[j] = Math.round((255 * j) / (k - 1));
      }
      const s = new Uint8Array(n);
      for (let i = 0; i < n; i++) s[i] = Math.round((alpha(i) / 255) * (k - 1));
      return encodePng({ width, height, colorType: 3, bitDepth: 4, samples: s, palette, paletteAlpha });
    }
  }
}
