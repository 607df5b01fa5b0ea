/** Saving and loading a model's weights as a safetensors file (Node). */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { readSafetensors, toSafetensors } from './safetensors.js';
import type { NamedWeight } from './weights-format.js';

/**
 * Writes the model's weights to `path` as safetensors (F32, model.json names). The file is written
 * under a temporary name and renamed, so `path` holds the old file or the new one, never half.
 */
export async function saveWeights(model: { getWeights(): NamedWeight[] }, path: string, metadata: Record<string, string> = {}): Promise<void> {
  const bytes = toSafetensors(model.getWeights(), metadata);
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Reads a safetensors file and sets the model's weights from it (every weight by name and shape,
 * as setWeights checks). Errors name the file and the problem.
 */
export async function loadWeights(model: { setWeights(weights: readonly NamedWeight[]): void }, path: string): Promise<void> {
  try {
    model.setWeights(readSafetensors(await readFile(path)).weights);
  } catch (err) {
    throw new Error(`loadWeights ${path}: ${(err as Error).message}`, { cause: err });
  }
}
