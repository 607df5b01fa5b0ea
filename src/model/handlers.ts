/**
 * Where string locations are saved and loaded, by URL scheme, TF.js-style:
 * indexeddb://NAME, localstorage://NAME, downloads://NAME (save only) and http(s)://…/model.json
 * (load only) work wherever the platform has them; paths and file:// URLs need the file system
 * the Node entry point registers. listModels/removeModel cover the browser stores.
 */
import type { StoredModelInfo } from './stored-model.js';
import type { ModelArtifacts, ModelJson } from './weights-format.js';

export type SaveToLocation = (location: string, artifacts: ModelArtifacts) => Promise<unknown>;
export type LoadFromLocation = (location: string) => Promise<{ modelJson: ModelJson; shards: Uint8Array[] }>;

interface SchemeHandlers {
  save?: SaveToLocation;
  load?: LoadFromLocation;
  list?: () => Promise<Record<string, StoredModelInfo>>;
  remove?: (location: string) => Promise<void>;
}

// Each handler module is imported when its scheme is first used, so an app (and its bundle) that
// never saves to localStorage does not load that code.
const indexedDb = () => import('./io-indexeddb.js');
const localStore = () => import('./io-local-storage.js');
const http: SchemeHandlers = { load: async (url) => (await import('./io-http.js')).loadArtifactsFromUrl(url) };
const schemes = new Map<string, SchemeHandlers>([
  [
    'indexeddb',
    {
      save: async (loc, artifacts) => (await indexedDb()).saveToIndexedDb(loc, artifacts),
      load: async (loc) => (await indexedDb()).loadFromIndexedDb(loc),
      list: async () => (await indexedDb()).listIndexedDb(),
      remove: async (loc) => (await indexedDb()).removeFromIndexedDb(loc),
    },
  ],
  [
    'localstorage',
    {
      save: async (loc, artifacts) => (await localStore()).saveToLocalStorage(loc, artifacts),
      load: async (loc) => (await localStore()).loadFromLocalStorage(loc),
      list: async () => (await localStore()).listLocalStorage(),
      remove: async (loc) => (await localStore()).removeFromLocalStorage(loc),
    },
  ],
  ['downloads', { save: async (loc, artifacts) => (await import('./io-downloads.js')).saveToDownloads(loc, artifacts) }],
  ['http', http],
  ['https', http],
]);

let fileSystem: { save: SaveToLocation; load: LoadFromLocation } | null = null;

export function registerFileSystem(handlers: { save: SaveToLocation; load: LoadFromLocation }): void {
  fileSystem = handlers;
}

function schemeOf(location: string): SchemeHandlers | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1]?.toLowerCase();
  return scheme === undefined ? undefined : schemes.get(scheme);
}

function requireFileSystem(location: string): { save: SaveToLocation; load: LoadFromLocation } {
  if (!fileSystem) {
    throw new Error(
      `cannot use '${location}': no file system in this environment; use indexeddb://NAME, localstorage://NAME, downloads://NAME, an http(s) URL, a save function or the model.json object and weight bytes`,
    );
  }
  return fileSystem;
}

export function saveHandler(location: string): SaveToLocation {
  const handlers = schemeOf(location);
  if (!handlers) return requireFileSystem(location).save;
  if (!handlers.save) throw new Error(`cannot save to '${location}': this kind of location is read-only (save to a server with your own save function)`);
  return handlers.save;
}

export function loadHandler(location: string): LoadFromLocation {
  const handlers = schemeOf(location);
  if (!handlers) return requireFileSystem(location).load;
  if (!handlers.load) throw new Error(`cannot load from '${location}': downloads are save-only; load the downloaded files with loadModel(files) or from a URL`);
  return handlers.load;
}

/** Models saved in this browser's stores (indexeddb:// and localstorage://), by location. */
export async function listModels(): Promise<Record<string, StoredModelInfo>> {
  const out: Record<string, StoredModelInfo> = {};
  const hasIndexedDb = (globalThis as { indexedDB?: unknown }).indexedDB !== undefined;
  for (const [scheme, handlers] of schemes) {
    if (!handlers.list || (scheme === 'indexeddb' && !hasIndexedDb)) continue;
    Object.assign(out, await handlers.list());
  }
  return out;
}

/** Removes a model saved at indexeddb://NAME or localstorage://NAME; an error when there is none. */
export async function removeModel(location: string): Promise<void> {
  const handlers = schemeOf(location);
  if (!handlers?.remove) throw new Error(`removeModel: '${location}' is not a browser store location (indexeddb://NAME or localstorage://NAME)`);
  await handlers.remove(location);
}
