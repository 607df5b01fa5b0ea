/** One file of `wasmnn predict`: read, decode, recognise; a file that fails gives its error, never throws. */
import { readFile } from 'node:fs/promises';
import type { Classify } from '../image/node.js';
import { predictImage, type Prediction } from '../recognizer/prediction.js';

export type FileOutcome = { prediction: Prediction } | { error: string; code?: string };

export async function predictFile(file: string, classify: Classify, multi: boolean): Promise<FileOutcome> {
  try {
    const bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
      throw new Error(err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message);
    });
    return { prediction: await predictImage(bytes, classify, { multi }) };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return { error: err instanceof Error ? err.message : String(err), ...(typeof code === 'string' ? { code } : {}) };
  }
}
