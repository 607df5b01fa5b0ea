/**
 * A model from user-picked files (an `<input type=file multiple>`'s FileList, or File objects):
 * the .json file is model.json, and every weights file its manifest names must be among the
 * files, matched by file name (browsers give no directories).
 */
import { checkModelJson, type ModelJson } from './weights-format.js';

/** What loadModel takes from a file picker: File objects or a FileList. */
export type ModelFiles = readonly File[] | FileList;

export function isModelFiles(source: unknown): source is ModelFiles {
  const FileCtor = (globalThis as { File?: typeof File }).File;
  const FileListCtor = (globalThis as { FileList?: typeof FileList }).FileList;
  if (FileListCtor && source instanceof FileListCtor) return true;
  return Array.isArray(source) && source.length > 0 && FileCtor !== undefined && source.every((f) => f instanceof FileCtor);
}

export async function loadArtifactsFromFiles(source: ModelFiles): Promise<{ modelJson: ModelJson; shards: Uint8Array[] }> {
  const files = Array.from(source);
  const jsonFiles = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (jsonFiles.length !== 1) {
    throw new Error(`loadModel(files): give exactly one .json file (model.json) with its weight files; got ${jsonFiles.length === 0 ? 'none' : jsonFiles.map((f) => f.name).join(', ')}`);
  }
  const jsonFile = jsonFiles[0]!;
  let modelJson: ModelJson;
  try {
    modelJson = checkModelJson(JSON.parse(await jsonFile.text()));
  } catch (err) {
    throw new Error(`${jsonFile.name}: ${(err as Error).message}`, { cause: err });
  }
  const byName = new Map(files.map((f) => [f.name, f]));
  const paths = modelJson.weightsManifest.flatMap((g) => g.paths);
  const missing = paths.filter((p) => !byName.has(baseName(p)));
  if (missing.length) throw new Error(`${jsonFile.name} needs the weight file(s) ${missing.map(baseName).join(', ')}; pick them together with it`);
  const shards = await Promise.all(paths.map(async (p) => new Uint8Array(await byName.get(baseName(p))!.arrayBuffer())));
  return { modelJson, shards };
}

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
