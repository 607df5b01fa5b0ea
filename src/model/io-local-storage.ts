/**
 * localstorage://NAME: small models in the browser's localStorage (about 5 MB per site, text
 * only: weights are stored as base64). A save writes the new model under a fresh version, then
 * points the model's record at it, then removes the old version — so a save that hits the quota
 * leaves the previous model whole, and the error says how much space was needed.
 */
import { decodeBase64, encodeBase64 } from '../kernels/wasm/base64.js';
import { checkModelJson, type ModelArtifacts, type ModelJson } from './weights-format.js';
import { infoOf, joinShards, modelName, splitShards, type StoredModelInfo } from './stored-model.js';

const LOCAL_STORAGE_SCHEME = 'localstorage';
const PREFIX = 'wasmnn_models';

interface Pointer {
  version: string;
  shardLengths: number[];
  info: StoredModelInfo;
}

const recordKey = (name: string): string => `${PREFIX}/record/${name}`;
const jsonKey = (name: string, version: string): string => `${PREFIX}/model.json/${name}/${version}`;
const weightsKey = (name: string, version: string): string => `${PREFIX}/weights/${name}/${version}`;

function storage(location: string): Storage {
  const ls = (globalThis as { localStorage?: Storage }).localStorage;
  if (!ls) throw new Error(`cannot use '${location}': this environment has no localStorage (a browser page has it; workers and Node do not)`);
  return ls;
}

function pointer(ls: Storage, name: string, location: string): Pointer | null {
  const text = ls.getItem(recordKey(name));
  if (text === null) return null;
  try {
    return JSON.parse(text) as Pointer;
  } catch {
    throw new Error(`${location}: the stored record is not JSON; the store is corrupt (removeModel('${location}') clears it)`);
  }
}

export async function saveToLocalStorage(location: string, artifacts: ModelArtifacts): Promise<void> {
  const name = modelName(location, LOCAL_STORAGE_SCHEME);
  const ls = storage(location);
  const previous = pointer(ls, name, location);
  const { bytes, lengths } = joinShards(artifacts);
  const json = JSON.stringify(artifacts.modelJson);
  const weights = encodeBase64(bytes);
  const version = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const record: Pointer = { version, shardLengths: lengths, info: infoOf(artifacts.modelJson, bytes.byteLength) };
  try {
    ls.setItem(weightsKey(name, version), weights);
    ls.setItem(jsonKey(name, version), json);
    ls.setItem(recordKey(name), JSON.stringify(record));
  } catch (err) {
    ls.removeItem(weightsKey(name, version));
    ls.removeItem(jsonKey(name, version));
    if ((err as Error).name === 'QuotaExceededError') {
      const kb = Math.ceil((2 * (weights.length + json.length)) / 1024); // UTF-16: two bytes per character
      throw new Error(
        `${location}: localStorage is full: this model needs about ${kb} KB and browsers give a site about 5 MB in all; ` +
          `save it to indexeddb://${name} instead${previous ? ' (the model saved there before is unchanged)' : ''}`,
        { cause: err },
      );
    }
    throw err;
  }
  if (previous) {
    ls.removeItem(weightsKey(name, previous.version));
    ls.removeItem(jsonKey(name, previous.version));
  }
}

export async function loadFromLocalStorage(location: string): Promise<{ modelJson: ModelJson; shards: Uint8Array[] }> {
  const name = modelName(location, LOCAL_STORAGE_SCHEME);
  const ls = storage(location);
  const record = pointer(ls, name, location);
  if (!record) throw new Error(`no model saved at ${location}`);
  const json = ls.getItem(jsonKey(name, record.version));
  const weights = ls.getItem(weightsKey(name, record.version));
  if (json === null || weights === null) throw new Error(`${location}: the model's ${json === null ? 'model.json' : 'weights'} entry is missing; the store is corrupt`);
  return { modelJson: checkModelJson(JSON.parse(json)), shards: splitShards(decodeBase64(weights), record.shardLengths, location) };
}

export async function listLocalStorage(): Promise<Record<string, StoredModelInfo>> {
  const ls = (globalThis as { localStorage?: Storage }).localStorage;
  if (!ls) return {};
  const out: Record<string, StoredModelInfo> = {};
  for (let i = 0; i < ls.length; i++) {
    const key = ls.key(i)!;
    if (!key.startsWith(`${PREFIX}/record/`)) continue;
    const name = key.slice(`${PREFIX}/record/`.length);
    const record = pointer(ls, name, `${LOCAL_STORAGE_SCHEME}://${name}`);
    if (record) out[`${LOCAL_STORAGE_SCHEME}://${name}`] = record.info;
  }
  return out;
}

export async function removeFromLocalStorage(location: string): Promise<void> {
  const name = modelName(location, LOCAL_STORAGE_SCHEME);
  const ls = storage(location);
  const record = ls.getItem(recordKey(name));
  if (record === null) throw new Error(`no model saved at ${location}`);
  // Every version of this name, including leftovers of an interrupted save.
  const keys: string[] = [];
  for (let i = 0; i < ls.length; i++) {
    const key = ls.key(i)!;
    for (const kind of ['model.json', 'weights']) {
      const prefix = `${PREFIX}/${kind}/${name}/`;
      // A version has no '/', so 'a' does not take the entries of a model named 'a/b'.
      if (key.startsWith(prefix) && !key.slice(prefix.length).includes('/')) keys.push(key);
    }
  }
  for (const key of keys) ls.removeItem(key);
  ls.removeItem(recordKey(name));
}
