/** Messages between the teach panel (teach.ts) and its worker (teach-worker.ts). */
import type { Image } from './lib.js';

export interface TeachRequest {
  /** Absolute URL of the served model's directory (model.json and the replay set). */
  modelDir: string;
  train: Image.LabelledInputs;
  heldOut: Image.LabelledInputs;
}

export type TeachReply =
  | { kind: 'progress'; done: number }
  /** Training is over and the personal model is being written: too late to cancel. */
  | { kind: 'saving' }
  | { kind: 'done'; before: Image.HeldOutScore; after: Image.HeldOutScore }
  | { kind: 'error'; message: string };
