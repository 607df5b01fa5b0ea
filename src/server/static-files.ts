/**
 * Files the page needs: the library's ESM build (dist/ at /lib/), the page script
 * (dist/server/page/ at /app/) and the model (held in memory, at /model/). Each file is read,
 * tagged and compressed once (encoded-file.ts) and re-read only when it changes on disk.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadArtifactsFromDirectory } from '../model/io-node.js';
import type { ModelJson } from '../model/weights-format.js';
import { encodeFile, type EncodedFile } from './encoded-file.js';
import { HttpError } from './http-error.js';
import { REPLAY_FILES } from '../recognizer/replay-set.js';

/** <package root>/dist/: this file is src/server/ under tsx and dist/server/ when built. */
export const DIST_DIR = fileURLToPath(new URL('../../dist/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.bin': 'application/octet-stream',
};

export interface StaticDir {
  /** The file at `relative` (a URL path below the directory), or a 404/400 HttpError. */
  get(relative: string): Promise<EncodedFile>;
  /** A hash of every file served from here: it names one build in versioned URLs. */
  version(): Promise<string>;
}

interface Cached {
  mtimeMs: number;
  size: number;
  file: Promise<EncodedFile>;
}

/**
 * Serves files below `root` whose relative path passes `allow`. Paths with '..', backslashes or
 * NUL are refused before the file system is asked.
 */
export function staticDir(root: string, allow: (relative: string) => boolean): StaticDir {
  const base = resolve(root);
  const cache = new Map<string, Cached>();
  const servable = (path: string): boolean => CONTENT_TYPES[extname(path)] !== undefined && allow(path);
  let version: Promise<string> | null = null;
  return {
    async get(relative) {
      let path: string;
      try {
        path = decodeURIComponent(relative);
      } catch {
        throw new HttpError(400, 'BAD_PATH', 'malformed percent-encoding in the path');
      }
      const segments = path.split('/');
      if (!servable(path) || path.includes('\\') || path.includes('\0') || segments.some((s) => s === '..' || s === '.' || s === '')) {
        throw notFound(relative);
      }
      const file = resolve(base, ...segments);
      if (!file.startsWith(base + sep)) throw notFound(relative);
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) throw new HttpError(404, 'NOT_FOUND', `no file ${relative}${root === DIST_DIR ? ' (is dist/ built? run npm run build)' : ''}`);
      const hit = cache.get(file);
      if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit.file;
      const entry: Cached = { mtimeMs: info.mtimeMs, size: info.size, file: readFile(file).then((body) => encodeFile(body, CONTENT_TYPES[extname(file)]!)) };
      // A failed read is not remembered: the next request tries again.
      entry.file.catch(() => cache.get(file) === entry && cache.delete(file));
      cache.set(file, entry);
      return entry.file;
    },
    version() {
      version ??= hashTree(base, servable);
      return version;
    },
  };
}

/**
 * SHA-256 over the names and contents of the servable files, computed once per process: the
 * build is not expected to change under a running server (restart it after `npm run build`).
 */
async function hashTree(base: string, servable: (relative: string) => boolean): Promise<string> {
  const files = (await listFiles(base)).filter(servable).sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f}\0`).update(await readFile(join(base, f))).update('\0');
  return hash.digest('base64url').slice(0, 12);
}

/** Every file below `dir` as a '/'-separated path relative to it; none when `dir` is missing. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? listFiles(dir, `${prefix}${e.name}/`) : Promise.resolve(e.isFile() ? [`${prefix}${e.name}`] : []))),
  );
  return nested.flat();
}

function notFound(what: string): HttpError {
  return new HttpError(404, 'NOT_FOUND', `no such file: ${what}`);
}

/** The library for browsers: everything in dist/ except the Node-only CLI and server. */
export const libraryFiles = staticDir(DIST_DIR, (p) => !p.startsWith('server/') && !p.startsWith('cli') && !p.endsWith('.d.ts'));

/** The page's own scripts. */
export const pageFiles = staticDir(resolve(DIST_DIR, 'server', 'page'), (p) => !p.endsWith('.d.ts'));

export interface ModelFiles {
  modelJson: ModelJson;
  /** Weight shards in manifest order. */
  shards: Uint8Array[];
  /** model.json and each shard by the name the page requests under /model/. */
  files: Map<string, EncodedFile>;
}

/** Reads (and validates) a model directory once; the server answers /model/* from memory. */
export async function readModelFiles(dir: string): Promise<ModelFiles> {
  const { modelJson, shards } = await loadArtifactsFromDirectory(dir);
  const files = new Map<string, EncodedFile>();
  files.set('model.json', await encodeFile(Buffer.from(JSON.stringify(modelJson)), CONTENT_TYPES['.json']!));
  const paths = modelJson.weightsManifest.flatMap((g) => g.paths);
  for (const [i, p] of paths.entries()) {
    const shard = shards[i]!;
    files.set(p.replace(/^\.\//, ''), await encodeFile(Buffer.from(shard.buffer, shard.byteOffset, shard.byteLength), CONTENT_TYPES['.bin']!));
  }
  // The teach mode's replay set, when the model has one (the shipped model does): already gzipped.
  for (const name of Object.values(REPLAY_FILES)) {
    const bytes = await readFile(join(dir, name)).catch(() => null);
    if (bytes) files.set(name, await encodeFile(bytes, 'application/gzip'));
  }
  return { modelJson, shards, files };
}
