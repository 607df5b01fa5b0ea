import { isHttpUrl, loadArtifactsFromUrl } from './io-http.js';
import type { ModelArtifacts, ModelJson } from './weights-format.js';

export type SaveToLocation = (location: string, artifacts: ModelArtifacts) => Promise<unknown>;
export type LoadFromLocation = (location: string) => Promise<{ modelJson: ModelJson; shards: Uint8Array[] }>;

/**
 * Where string locations ('file://./model', './model') are saved and loaded. The core knows
 * no file system; the Node entry point registers one, so browsers pass functions or bytes instead.
 */
let fileSystem: { save: SaveToLocation; load: LoadFromLocation } | null = null;

export function registerFileSystem(handlers: { save: SaveToLocation; load: LoadFromLocation }): void {
  fileSystem = handlers;
}

function requireFileSystem(location: string): { save: SaveToLocation; load: LoadFromLocation } {
  if (!fileSystem) {
    throw new Error(`cannot use '${location}': no file system in this environment; pass a save function or the model.json object and weight bytes instead`);
  }
  return fileSystem;
}

export function saveHandler(location: string): SaveToLocation {
  return requireFileSystem(location).save;
}

/** http(s) URLs load anywhere through fetch; other locations need the file system. */
export function loadHandler(location: string): LoadFromLocation {
  if (isHttpUrl(location)) return (url) => loadArtifactsFromUrl(url);
  return requireFileSystem(location).load;
}
