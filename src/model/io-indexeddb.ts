/**
 * indexeddb://NAME: models in the browser's IndexedDB (database 'wasmnn-models'), which holds
 * far more than localStorage. One transaction writes a model, so a failed save leaves the
 * previous one whole.
 */
import { checkModelJson, type ModelArtifacts, type ModelJson } from './weights-format.js';
import { infoOf, joinShards, modelName, splitShards, type StoredModelInfo } from './stored-model.js';

const INDEXEDDB_SCHEME = 'indexeddb';
const DATABASE = 'wasmnn-models';
const STORE = 'models';

interface Record_ {
  name: string;
  modelJson: ModelJson;
  weights: Uint8Array;
  shardLengths: number[];
  info: StoredModelInfo;
}

function factory(location: string): IDBFactory {
  const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!idb) throw new Error(`cannot use '${location}': this environment has no IndexedDB (a browser or a worker has it; in Node save to a directory)`);
  return idb;
}

function open(location: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory(location).open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'name' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(new Error(`cannot open IndexedDB for '${location}': ${request.error?.message ?? 'unknown error'}`));
    request.onblocked = () => reject(new Error(`cannot open IndexedDB for '${location}': another tab holds an older version of the database open`));
  });
}

/** Runs one request in a transaction and resolves when the transaction commits. */
async function run<T>(location: string, mode: IDBTransactionMode, use: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open(location);
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = use(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      const fail = (): void => {
        const err = tx.error ?? request.error;
        const quota = err?.name === 'QuotaExceededError' ? ' (the browser refused the space: its storage quota for this site is full)' : '';
        reject(new Error(`${location}: IndexedDB ${mode === 'readwrite' ? 'write' : 'read'} failed${quota}: ${err?.message ?? 'aborted'}`));
      };
      tx.onerror = fail;
      tx.onabort = fail;
    });
  } finally {
    db.close();
  }
}

export async function saveToIndexedDb(location: string, artifacts: ModelArtifacts): Promise<void> {
  const name = modelName(location, INDEXEDDB_SCHEME);
  const { bytes, lengths } = joinShards(artifacts);
  const record: Record_ = { name, modelJson: artifacts.modelJson, weights: bytes, shardLengths: lengths, info: infoOf(artifacts.modelJson, bytes.byteLength) };
  await run(location, 'readwrite', (store) => store.put(record));
}

export async function loadFromIndexedDb(location: string): Promise<{ modelJson: ModelJson; shards: Uint8Array[] }> {
  const name = modelName(location, INDEXEDDB_SCHEME);
  const record = (await run(location, 'readonly', (store) => store.get(name))) as Record_ | undefined;
  if (!record) throw new Error(`no model saved at ${location}`);
  return { modelJson: checkModelJson(record.modelJson), shards: splitShards(record.weights, record.shardLengths, location) };
}

export async function listIndexedDb(): Promise<Record<string, StoredModelInfo>> {
  const location = `${INDEXEDDB_SCHEME}://`;
  const records = (await run(location, 'readonly', (store) => store.getAll())) as Record_[];
  return Object.fromEntries(records.map((r) => [`${INDEXEDDB_SCHEME}://${r.name}`, r.info]));
}

export async function removeFromIndexedDb(location: string): Promise<void> {
  const name = modelName(location, INDEXEDDB_SCHEME);
  const count = await run(location, 'readonly', (store) => store.count(name));
  if (count === 0) throw new Error(`no model saved at ${location}`);
  await run(location, 'readwrite', (store) => store.delete(name));
}
