/**
 * What the browser stores keep per model: model.json, its weight files as one buffer, and a
 * small info record for listModels. Shared by indexeddb:// and localstorage://.
 */
import type { ModelArtifacts, ModelJson } from './weights-format.js';

export interface StoredModelInfo {
  /** ISO date of the save. */
  dateSaved: string;
  modelJsonBytes: number;
  weightBytes: number;
}

/** The weight files of a save, concatenated, with each file's length to split them again. */
export function joinShards(artifacts: ModelArtifacts): { bytes: Uint8Array<ArrayBuffer>; lengths: number[] } {
  const shards = Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData];
  const bytes = new Uint8Array(shards.reduce((n, s) => n + s.byteLength, 0));
  let at = 0;
  for (const s of shards) {
    bytes.set(s, at);
    at += s.byteLength;
  }
  return { bytes, lengths: shards.map((s) => s.byteLength) };
}

export function splitShards(bytes: Uint8Array, lengths: readonly number[], where: string): Uint8Array[] {
  if (lengths.reduce((a, b) => a + b, 0) !== bytes.byteLength) throw new Error(`${where}: the stored weights are ${bytes.byteLength} bytes, not the ${lengths.reduce((a, b) => a + b, 0)} its record lists; the store is corrupt`);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const n of lengths) {
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}

export function infoOf(modelJson: ModelJson, weightBytes: number): StoredModelInfo {
  return { dateSaved: new Date().toISOString(), modelJsonBytes: JSON.stringify(modelJson).length, weightBytes };
}

/** The model name of a `scheme://name` location; names are free text but not empty. */
export function modelName(location: string, scheme: string): string {
  const name = location.slice(scheme.length + 3);
  if (name === '') throw new Error(`'${location}' names no model: use ${scheme}://NAME`);
  return name;
}
