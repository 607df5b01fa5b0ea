/** Decoded pixels in the browser ImageData layout: rows top to bottom, 4 bytes (R, G, B, A) per pixel. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray | Uint8Array;
}

/**
 * A large image already greyscaled and area-averaged to its analysis size (what analyze.ts would
 * compute first, `workingGrey`), with its original size: lets that costly pass run elsewhere (the
 * server's decode thread) and the rest of the pipeline give the same results as from the RGBA.
 */
export interface ScaledGreyImage {
  readonly width: number;
  readonly height: number;
  readonly grey: GreyImage;
}

/** What the recognition pipeline reads: decoded pixels, or a large image's working grey. */
export type PipelineImage = RgbaImage | ScaledGreyImage;

/** Which way the ink differs from the paper. */
export type Polarity = 'dark-on-light' | 'light-on-dark';

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
