/**
 * Where the page keeps a person's model: this browser's IndexedDB (the library's indexeddb://
 * store), so it is used again after a reload and never leaves the browser. Shared by the page
 * and the teach worker, which saves there.
 */
import type { Core } from './lib.js';

type Model = Awaited<ReturnType<typeof Core.loadModel>>;

export const PERSONAL_MODEL = 'indexeddb://wasmnn-personal-model';

/** The saved personal model, or null when there is none. */
export async function loadPersonal(core: typeof Core): Promise<Model | null> {
  const saved = await core.listModels();
  return PERSONAL_MODEL in saved ? core.loadModel(PERSONAL_MODEL) : null;
}

export async function forgetPersonal(core: typeof Core): Promise<void> {
  if (PERSONAL_MODEL in (await core.listModels())) await core.removeModel(PERSONAL_MODEL);
}

/**
 * A model the page can read with in place of the served one: 28x28x1 inputs and the served
 * model's `classes` outputs. Throws, naming the difference, otherwise (an imported file may be
 * any model).
 */
export function checkCompatible(model: Model, classes: number): void {
  const shape = (s: readonly (number | null)[]): string => `[${s.join(', ')}]`;
  const input = shape(model.inputShape);
  const output = shape(model.outputShape);
  if (input !== shape([28, 28, 1]) || output !== shape([classes])) {
    throw new Error(`it takes ${input} and answers ${output}; the page reads [28, 28, 1] images into ${shape([classes])} classes`);
  }
}
