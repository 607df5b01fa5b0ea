/**
 * The in-browser reader: the library (lib.ts) and the served model, loaded once. A failure is
 * classified (ModelLoadError) so the page can explain it in the reader's language instead of
 * showing a raw "Failed to fetch" or "Unexpected token '<'".
 */
import type { Core, Image } from './lib.js';

export interface Engine {
  image: typeof Image;
  classify: Image.Classify;
  /** How the backend runs, e.g. "wasm (relaxed SIMD, 2 threads)". */
  backend: string;
}

export type LoadFailure = { why: 'http'; status: number } | { why: 'notModel' | 'network' | 'noWasm' };

export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';
  constructor(
    readonly failure: LoadFailure,
    options?: { cause: unknown },
  ) {
    super(`the in-browser model did not load (${failure.why})`, options);
  }
}

/** The served model, relative to the page: /model/. */
const MODEL_DIR = '/model/';

export async function loadEngine(library: Promise<{ core: typeof Core; image: typeof Image }>): Promise<Engine> {
  if (typeof WebAssembly === 'undefined') throw new ModelLoadError({ why: 'noWasm' });
  const { core, image } = await library;
  const modelJson = await fetchModelJson();
  const paths = modelJson.weightsManifest.flatMap((g) => g.paths);
  const shards = await Promise.all(paths.map(async (p) => new Uint8Array(await (await fetchOk(MODEL_DIR + p.replace(/^\.\//, ''))).arrayBuffer())));
  let model: Awaited<ReturnType<typeof core.loadModel>>;
  try {
    model = await core.loadModel({ modelJson, weightData: shards });
  } catch (err) {
    throw new ModelLoadError({ why: 'notModel' }, { cause: err });
  }
  const classify: Image.Classify = async (inputs, n) => (await model.predict(core.tensor(inputs, [n, image.MNIST_SIZE, image.MNIST_SIZE, 1]))).data;
  return { image, classify, backend: model.backend ? core.describeBackend(model.backend) : 'unknown' };
}

async function fetchModelJson(): Promise<{ weightsManifest: { paths: string[] }[] }> {
  const res = await fetchOk(`${MODEL_DIR}model.json`);
  let json: unknown;
  try {
    json = await res.json();
  } catch (err) {
    // An HTML error page or a proxy's answer where model.json should be.
    throw new ModelLoadError({ why: 'notModel' }, { cause: err });
  }
  const manifest = (json as { weightsManifest?: unknown } | null)?.weightsManifest;
  if (!Array.isArray(manifest)) throw new ModelLoadError({ why: 'notModel' });
  return json as { weightsManifest: { paths: string[] }[] };
}

async function fetchOk(url: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new ModelLoadError({ why: 'network' }, { cause: err });
  }
  if (!res.ok) throw new ModelLoadError({ why: 'http', status: res.status });
  return res;
}
