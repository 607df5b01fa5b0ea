/**
 * Node-only model files: a directory with model.json and its weight shards,
 * in the TF.js LayersModel format (see weights-format.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkModelJson } from './weights-format.js';
import type { ModelArtifacts, ModelJson } from './weights-format.js';

export const MODEL_JSON = 'model.json';

/**
 * A plain path, a file: URL object, or a `file://` string. Relative
 * `file://./model` (as TF.js accepts) is read as the relative path `./model`.
 */
export function toFilePath(location: string | URL): string {
  if (location instanceof URL) return fileURLToPath(location);
  if (location.startsWith('file:///') || location.startsWith('file://localhost/')) return fileURLToPath(location);
  if (location.startsWith('file://')) return location.slice('file://'.length);
  return location;
}

/**
 * Writes model.json (pretty-printed) and the weight shards into `dir`, creating
 * it if needed. Every file is written under a temporary name first and renamed
 * into place, shards before model.json, so an interrupted save never leaves a
 * model.json pointing at half-written weights.
 */
export async function saveArtifactsToDirectory(dir: string | URL, artifacts: ModelArtifacts): Promise<{ modelJsonPath: string; weightPaths: string[] }> {
  const root = toFilePath(dir);
  const modelJson = checkModelJson(artifacts.modelJson);
  const paths = modelJson.weightsManifest.flatMap((g) => g.paths);
  const shards = Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData];
  if (shards.length !== paths.length) {
    throw new Error(`saveArtifactsToDirectory: model.json lists ${paths.length} weight file(s) but ${shards.length} buffer(s) were given`);
  }

  const files: { path: string; data: string | Uint8Array }[] = paths.map((p, i) => ({ path: resolveInside(root, p), data: shards[i]! }));
  files.push({ path: join(root, MODEL_JSON), data: JSON.stringify(modelJson, null, 2) + '\n' });

  await mkdir(root, { recursive: true });
  const suffix = `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const written: string[] = [];
  try {
    for (const f of files) {
      await mkdir(dirname(f.path), { recursive: true });
      await writeFile(f.path + suffix, f.data);
      written.push(f.path + suffix);
    }
    for (const f of files) await rename(f.path + suffix, f.path);
  } catch (err) {
    await Promise.all(written.map((p) => unlink(p).catch(() => undefined)));
    throw err;
  }
  return { modelJsonPath: join(root, MODEL_JSON), weightPaths: files.slice(0, -1).map((f) => f.path) };
}

/**
 * Reads a model from a directory holding model.json, or from the path of a
 * model.json file; its weight files are read relative to model.json.
 * The result feeds `decodeWeights(modelJson, shards)`.
 */
export async function loadArtifactsFromDirectory(dirOrModelJsonPath: string | URL): Promise<{ modelJson: ModelJson; shards: Uint8Array[] }> {
  const location = toFilePath(dirOrModelJsonPath);
  let jsonPath = location;
  try {
    if ((await stat(location)).isDirectory()) jsonPath = join(location, MODEL_JSON);
  } catch {
    throw new Error(`no model found at ${location}: no such file or directory`);
  }

  let text: string;
  try {
    text = await readFile(jsonPath, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${jsonPath}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'model.json is missing' : (err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${jsonPath} is not valid JSON: ${(err as Error).message}`);
  }
  let modelJson: ModelJson;
  try {
    modelJson = checkModelJson(parsed);
  } catch (err) {
    throw new Error(`${jsonPath}: ${(err as Error).message}`);
  }

  const root = dirname(jsonPath);
  const shards: Uint8Array[] = [];
  for (const p of modelJson.weightsManifest.flatMap((g) => g.paths)) {
    const path = resolveInside(root, p);
    try {
      shards.push(await readFile(path));
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `cannot be read: ${(err as Error).message}`;
      throw new Error(`weights file ${p} listed in ${jsonPath} ${reason} (${path})`);
    }
  }
  return { modelJson, shards };
}

/** Joins a manifest path to the model directory, refusing paths that would leave it. */
function resolveInside(root: string, manifestPath: string): string {
  const rel = normalize(manifestPath);
  if (isAbsolute(rel) || rel === '..' || rel.startsWith('..' + sep) || rel.includes('\0')) {
    throw new Error(`weights path ${manifestPath} in model.json must be relative to the model directory`);
  }
  return join(root, rel);
}
