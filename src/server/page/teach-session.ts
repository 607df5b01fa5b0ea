/**
 * The samples a person draws in the teach mode, in the order the page asks for them: every digit
 * once per round (0–9, then 0–9 again…), so no digit is drawn five times in a row and each round
 * catches the hand as it is at that moment. The last round is held out: personalize trains on the
 * others and judges the model, before and after, by it. Undo takes the last sample back; redo
 * puts it back until a new sample is drawn.
 */
import type { Image } from './lib.js';

export const DIGITS = 10;
export const ROUNDS = 5;
const PIXELS = 784;

export class TeachSession {
  private samples: Float32Array[] = [];
  private undone: Float32Array[] = [];

  get total(): number {
    return DIGITS * ROUNDS;
  }

  get count(): number {
    return this.samples.length;
  }

  get complete(): boolean {
    return this.samples.length === this.total;
  }

  /** The digit to draw next, or null when every sample is drawn. */
  get nextDigit(): number | null {
    return this.complete ? null : this.samples.length % DIGITS;
  }

  get canUndo(): boolean {
    return this.samples.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** A preprocessed drawing (784 model inputs) of nextDigit. */
  add(input: Float32Array): void {
    if (this.complete) throw new Error('TeachSession.add: every sample is already drawn');
    if (input.length !== PIXELS) throw new Error(`TeachSession.add: a sample is ${PIXELS} model inputs (28x28), got ${input.length}`);
    this.samples.push(input);
    this.undone = [];
  }

  undo(): void {
    const last = this.samples.pop();
    if (last) this.undone.push(last);
  }

  redo(): void {
    const next = this.undone.pop();
    if (next) this.samples.push(next);
  }

  /** Rounds 1..ROUNDS−1 to train on, the last round held out. Only when complete. */
  split(): { train: Image.LabelledInputs; heldOut: Image.LabelledInputs } {
    if (!this.complete) throw new Error(`TeachSession.split: ${this.samples.length} of ${this.total} samples drawn`);
    const trainRows = DIGITS * (ROUNDS - 1);
    const pack = (rows: Float32Array[]): Image.LabelledInputs => {
      const inputs = new Float32Array(rows.length * PIXELS);
      rows.forEach((r, i) => inputs.set(r, i * PIXELS));
      return { inputs, labels: rows.map((_, i) => i % DIGITS) };
    };
    return { train: pack(this.samples.slice(0, trainRows)), heldOut: pack(this.samples.slice(trainRows)) };
  }
}
