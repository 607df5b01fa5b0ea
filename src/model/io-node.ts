/**
 * Node-only model files: a directory with model.json and its weight shards,
 * in the TF.js LayersModel format (see weights-format.ts).
 */
import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
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

/** Names of the steps of a save, in order (saveArtifactsToDirectory's `onStep` sees each). */
export type SaveStep = 'old-weights-linked' | 'old-model-json-relinked' | 'weights-written' | 'model-json-written' | 'old-weights-removed';

/**
 * Writes model.json (pretty-printed) and the weight shards into `dir`, creating it if needed,
 * atomically as a whole: after a crash at any point the directory holds either the complete old
 * model or the complete new one, because model.json is replaced by one rename and every shard
 * the current model.json names stays in place until then. When the new shards take the names
 * the old model.json uses (the usual case: group1-shard1of1.bin), the old ones are first
 * hard-linked under a second name and the old model.json re-pointed at them (itself a complete
 * model); the new shards then take the usual names, the new model.json is renamed into place,
 * and the second names are removed. Leftovers of an interrupted save (temporary files, second
 * names no model.json uses) are removed by the next save and ignored by loads.
 * `onStep` is called after each step (tests kill the process there).
 */
export async function saveArtifactsToDirectory(
  dir: string | URL,
  artifacts: ModelArtifacts,
  onStep?: (step: SaveStep) => void,
): Promise<{ modelJsonPath: string; weightPaths: string[] }> {
  const root = toFilePath(dir);
  const modelJson = checkModelJson(artifacts.modelJson);
  const paths = modelJson.weightsManifest.flatMap((g) => g.paths);
  const shards = Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData];
  if (shards.length !== paths.length) {
    throw new Error(`saveArtifactsToDirectory: model.json lists ${paths.length} weight file(s) but ${shards.length} buffer(s) were given`);
  }
  const jsonPath = join(root, MODEL_JSON);
  const newShards = paths.map((p, i) => ({ path: resolveInside(root, p), data: shards[i]! }));
  await mkdir(root, { recursive: true });
  await removeLeftovers(root);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temporary: string[] = [];
  const writeTemp = async (path: string, data: string | Uint8Array): Promise<string> => {
    const tmp = `${path}${TMP_MARK}${tag}`;
    temporary.push(tmp);
    await mkdir(dirname(tmp), { recursive: true });
    await writeDurably(tmp, data);
    return tmp;
  };
  const keep: string[] = [];
  const oldPaths: string[] = [];
  try {
    // 1. Old shards the new ones would overwrite get a second name, and the old model.json points there.
    const old = await readCurrentModelJson(jsonPath);
    for (const p of old?.weightsManifest.flatMap((g) => g.paths) ?? []) oldPaths.push(resolveInside(root, p));
    if (old) {
      const taken = new Set(newShards.map((f) => f.path));
      let moved = false;
      for (const group of old.weightsManifest) {
        group.paths = await Promise.all(
          group.paths.map(async (p) => {
            const path = resolveInside(root, p);
            if (!taken.has(path)) return p;
            const second = `${p}${PREV_MARK}${tag}`;
            await link(path, resolveInside(root, second)).catch((err: NodeJS.ErrnoException) => {
              if (err.code === 'ENOENT') throw new Error(`the model in ${root} is incomplete: ${p} is missing`);
              return copyFile(path, resolveInside(root, second));
            });
            keep.push(resolveInside(root, second));
            moved = true;
            return second;
          }),
        );
      }
      if (moved) {
        onStep?.('old-weights-linked');
        await rename(await writeTemp(jsonPath, JSON.stringify(old, null, 2) + '\n'), jsonPath);
        onStep?.('old-model-json-relinked');
      }
    }
    // 2. The new shards under their own names (nothing the current model.json uses), then model.json.
    for (const f of newShards) await rename(await writeTemp(f.path, f.data), f.path);
    onStep?.('weights-written');
    await rename(await writeTemp(jsonPath, JSON.stringify(modelJson, null, 2) + '\n'), jsonPath);
    onStep?.('model-json-written');
  } catch (err) {
    await Promise.all(temporary.map((p) => unlink(p).catch(() => undefined)));
    throw err;
  }
  // 3. The old model's second names, and old shards the new model does not use, are no longer needed.
  const used = new Set(newShards.map((f) => f.path));
  await Promise.all([...keep, ...oldPaths.filter((p) => !used.has(p))].map((p) => unlink(p).catch(() => undefined)));
  onStep?.('old-weights-removed');
  return { modelJsonPath: jsonPath, weightPaths: newShards.map((f) => f.path) };
}

/** Marks a file being written (renamed into place when complete). */
const TMP_MARK = '.tmp-';
/** Marks an old model's shard kept under a second name during a save. */
const PREV_MARK = '.prev-';

/** The model.json in place, if there is a readable, valid one. */
async function readCurrentModelJson(jsonPath: string): Promise<ModelJson | null> {
  try {
    return checkModelJson(JSON.parse(await readFile(jsonPath, 'utf8')));
  } catch {
    return null; // none, or not one we could be asked to keep: it is simply replaced
  }
}

/** Writes a file and flushes it to disk, so a rename after it never exposes a short file. */
async function writeDurably(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes what interrupted saves left in `root`: temporary files, and second names model.json no longer uses. */
async function removeLeftovers(root: string): Promise<void> {
  const current = await readCurrentModelJson(join(root, MODEL_JSON));
  const used = new Set((current?.weightsManifest ?? []).flatMap((g) => g.paths.map((p) => normalize(p))));
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const relPath = rel ? join(rel, entry.name) : entry.name;
      if (entry.isDirectory()) await walk(join(dir, entry.name), relPath);
      else if (entry.name.includes(TMP_MARK) || (entry.name.includes(PREV_MARK) && !used.has(normalize(relPath)))) {
        await unlink(join(dir, entry.name)).catch(() => undefined);
      }
    }
  };
  await walk(root, '');
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
