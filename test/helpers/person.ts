/**
 * The scripted person of the teach-mode tests (src/synthetic/person-style.ts), drawn the way the
 * page's pad draws (white paper, #111 ink, round pen 7% of the pad's height) and preprocessed as
 * the recognizer does, so the Node tests see what the page would hand the fine-tuning.
 */
import { preprocessDigit } from '../../src/image/index.js';
import type { LabelledInputs } from '../../src/recognizer/personalize.js';
import { drawPolylines } from '../../src/synthetic/glyphs.js';
import { personStrokes } from '../../src/synthetic/person-style.js';
import { Rng } from '../../src/synthetic/rng.js';

const PAD = 280;
const INK = 0x11;

/** `perDigit` samples of each digit 0–9 (digit-major order), seeded. */
export function personSamples(seed: number, perDigit: number): LabelledInputs {
  const rng = new Rng(seed);
  const inputs = new Float32Array(10 * perDigit * 784);
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    for (let k = 0; k < perDigit; k++) {
      inputs.set(preprocessDigit(onPad(personStrokes(rng, d, PAD))).input, labels.length * 784);
      labels.push(d);
    }
  }
  return { inputs, labels };
}

function onPad(lines: number[][]): { width: number; height: number; data: Uint8Array } {
  const coverage = new Float32Array(PAD * PAD);
  drawPolylines(coverage, PAD, PAD, lines, Math.round(PAD * 0.07) / 2);
  const data = new Uint8Array(PAD * PAD * 4);
  for (let i = 0; i < coverage.length; i++) {
    const v = Math.round(255 - (255 - INK) * coverage[i]!);
    data[4 * i] = data[4 * i + 1] = data[4 * i + 2] = v;
    data[4 * i + 3] = 255;
  }
  return { width: PAD, height: PAD, data };
}
