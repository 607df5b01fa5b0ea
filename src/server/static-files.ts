/**
 * Files the page needs: the library's ESM build (dist/ at /lib/), the page script
 * (dist/server/page/ at /app/) and the model (held in memory, at /model/).
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadArtifactsFromDirectory } from '../model/io-node.js';
import type { ModelJson } from '../model/weights-format.js';
import { HttpError } from './http-error.js';

/** <package root>/dist/: this file is src/server/ under tsx and dist/server/ when built. */
export const DIST_DIR = fileURLToPath(new URL('../../dist/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.bin': 'application/octet-stream',
};

export interface StaticFile {
  body: Buffer;
  type: string;
}

/**
 * Serves files below `root` whose relative path passes `allow`. Paths with '..', backslashes or
 * NUL are refused before the file system is asked.
 */
export function staticDir(root: string, allow: (relative: string) => boolean): (relative: string) => Promise<StaticFile> {
  const base = resolve(root);
  return async (relative) => {
    let path: string;
    try {
      path = decodeURIComponent(relative);
    } catch {
      throw new HttpError(400, 'BAD_PATH', 'malformed percent-encoding in the path');
    }
    const segments = path.split('/');
    const type = CONTENT_TYPES[extname(path)];
    if (!type || path.includes('\\') || path.includes('\0') || segments.some((s) => s === '..' || s === '.' || s === '') || !allow(path)) {
      throw notFound(relative);
    }
    const file = resolve(base, ...segments);
    if (!file.startsWith(base + sep)) throw notFound(relative);
    try {
      return { body: await readFile(file), type };
    } catch {
      throw new HttpError(404, 'NOT_FOUND', `no file ${relative}${root === DIST_DIR ? ' (is dist/ built? run npm run build)' : ''}`);
    }
  };
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
  files: Map<string, StaticFile>;
}

/** Reads (and validates) a model directory once; the server answers /model/* from memory. */
export async function readModelFiles(dir: string): Promise<ModelFiles> {
  const { modelJson, shards } = await loadArtifactsFromDirectory(dir);
  const files = new Map<string, StaticFile>();
  files.set('model.json', { body: Buffer.from(JSON.stringify(modelJson)), type: CONTENT_TYPES['.json']! });
  const paths = modelJson.weightsManifest.flatMap((g) => g.paths);
  paths.forEach((p, i) => {
    const shard = shards[i]!;
    files.set(p.replace(/^\.\//, ''), { body: Buffer.from(shard.buffer, shard.byteOffset, shard.byteLength), type: CONTENT_TYPES['.bin']! });
  });
  return { modelJson, shards, files };
}
