/**
 * Copies of a few 28x28 inputs, each in its own small random pose (a turn and a zoom about the
 * centre), made with the affineWarp reference kernel (the geometry of Keras' RandomRotation and
 * RandomZoom, bilinear, black outside the field). personalize poses only the person's samples:
 * the Random* layers in front of the model pose every training sample, and posing the replay set
 * too taught the head to call fewer non-digits "not a digit" (personalize.ts has the numbers).
 */
import { affineWarp } from '../kernels/js/affine-warp.js';
import { FillMode } from '../kernels/kernels.js';
import { MNIST_SIZE } from '../image/normalize.js';
import type { Random } from '../random.js';

const PIXELS = MNIST_SIZE * MNIST_SIZE;

export interface Pose {
  /** Largest turn either way, radians. */
  maxTurn: number;
  /** Largest relative change of size either way (0.1: 90%–110%). */
  maxZoom: number;
}

/**
 * Writes `copies` posed copies of each of the n inputs (n × 784) into `out` (copies·n × 784,
 * copy-major). `work` is the caller's buffer of posedCopiesWork(n) floats, reused between calls.
 */
export function posedCopies(inputs: Float32Array, n: number, copies: number, pose: Pose, random: Random, out: Float32Array, work: Float32Array): void {
  // work = [the n inputs][one copy of n outputs][n transforms]: the kernel's arena layout.
  const y = n * PIXELS;
  const t = 2 * n * PIXELS;
  work.set(inputs.subarray(0, n * PIXELS), 0);
  const c = (MNIST_SIZE - 1) / 2;
  for (let k = 0; k < copies; k++) {
    for (let i = 0; i < n; i++) {
      const angle = pose.maxTurn * (2 * random.next() - 1);
      const zoom = 1 + pose.maxZoom * (2 * random.next() - 1);
      // Output pixel → input point: rotate about the centre, then scale by 1/zoom (zoom > 1 enlarges).
      const cos = Math.cos(angle) / zoom;
      const sin = Math.sin(angle) / zoom;
      const m = t + 6 * i;
      work[m] = cos;
      work[m + 1] = -sin;
      work[m + 2] = c - cos * c + sin * c;
      work[m + 3] = sin;
      work[m + 4] = cos;
      work[m + 5] = c - sin * c - cos * c;
    }
    affineWarp(work, 0, y, t, n, MNIST_SIZE, MNIST_SIZE, 1, FillMode.constant, 0);
    out.set(work.subarray(y, y + n * PIXELS), k * n * PIXELS);
  }
}

/** Floats of the work buffer posedCopies needs for n inputs. */
export function posedCopiesWork(n: number): number {
  return 2 * n * PIXELS + 6 * n;
}
