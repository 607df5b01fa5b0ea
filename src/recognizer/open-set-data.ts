/**
 * The open-set classifier's data, every image passed through the same preprocessing as a real
 * input (preprocessDigit): MNIST digits (classes 0-9) and seeded non-digits (class 10). MNIST
 * goes through the pipeline too, so that "has been through preprocessing" is not a cue that
 * tells the two apart.
 */
import { preprocessDigit } from '../image/preprocess.js';
import { MNIST_SIZE } from '../image/normalize.js';
import type { RgbaImage } from '../image/types.js';
import { nonDigitSample, type NonDigitFamily } from '../synthetic/nondigits.js';

/** The open-set model's extra class: "not a digit". */
export const NOT_A_DIGIT = 10;
/** Classes of the open-set model: ten digits and NOT_A_DIGIT. */
export const OPEN_SET_CLASSES = 11;
const PIXELS = MNIST_SIZE * MNIST_SIZE;

export interface PipelineInputs {
  /** n × 784 model inputs. */
  inputs: Float32Array;
  /** 1 where the shape rules (analyze.ts, shape.ts) alone took the image for a digit. */
  heuristicDigit: Uint8Array;
}

/** MNIST images (n × 784 floats in [0, 1], ink bright) as 28x28 white-on-black pictures through preprocessDigit. */
export function mnistThroughPipeline(images: Float32Array, n: number): PipelineInputs {
  const rgba = new Uint8Array(PIXELS * 4);
  const picture: RgbaImage = { width: MNIST_SIZE, height: MNIST_SIZE, data: rgba };
  return collect(n, (i) => {
    for (let p = 0; p < PIXELS; p++) {
      const v = Math.round(255 * images[i * PIXELS + p]!);
      rgba[4 * p] = rgba[4 * p + 1] = rgba[4 * p + 2] = v;
      rgba[4 * p + 3] = 255;
    }
    return picture;
  });
}

export interface NonDigitInputs extends PipelineInputs {
  /** The family of each row. */
  families: NonDigitFamily[];
}

/** `perFamily` samples of each family for `seed`, through preprocessDigit. */
export function nonDigitInputs(seed: number, families: readonly NonDigitFamily[], perFamily: number, firstIndex = 0): NonDigitInputs {
  const rows = families.flatMap((f) => Array.from({ length: perFamily }, (_, i) => [f, firstIndex + i] as const));
  const out = collect(rows.length, (i) => {
    const s = nonDigitSample(seed, rows[i]![0], rows[i]![1]);
    return { width: s.width, height: s.height, data: s.rgba };
  });
  return { ...out, families: rows.map((r) => r[0]) };
}

function collect(n: number, picture: (i: number) => RgbaImage): PipelineInputs {
  const inputs = new Float32Array(n * PIXELS);
  const heuristicDigit = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const pre = preprocessDigit(picture(i));
    inputs.set(pre.input, i * PIXELS);
    heuristicDigit[i] = pre.isDigit ? 1 : 0;
  }
  return { inputs, heuristicDigit };
}
