import { fileURLToPath } from 'node:url';

/**
 * The pretrained default model shipped in the package (`pretrained/compact/`, trained by `wasmnn train`),
 * so `wasmnn predict` and `wasmnn serve` work without training first. Resolved from this file:
 * src/ (under tsx) and dist/ (built) are both one level below the package root.
 */
export function defaultModelDir(): string {
  return fileURLToPath(new URL('../pretrained/compact/', import.meta.url));
}
