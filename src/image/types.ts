/** Decoded pixels in the browser ImageData layout: rows top to bottom, 4 bytes (R, G, B, A) per pixel. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray | Uint8Array;
}

/** One channel of floats, row-major. */
export interface GreyImage {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/** Axis-aligned rectangle in pixel units; x, y is the top-left corner. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The digit classifier the pipeline is plugged into: `inputs` holds n images of
 * 28×28 floats in [0,1] (ink bright, MNIST layout), the result n×10 probabilities.
 */
export type Classify = (inputs: Float32Array, n: number) => Promise<Float32Array>;
