/**
 * What a browser app pays for the core: a minimal app (Sequential + layers + predict) bundled by
 * esbuild from the built package with code splitting, as a bundler user would ship it. Asserted:
 * no WASM build is loaded up front, each is its own chunk, and the fallback JS backend, the
 * browser stores and the ONNX exporter stay out of the up-front JS; and the up-front JS plus the
 * one build a browser with relaxed SIMD imports stays within 60 KB gzip.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { build, type Metafile } from 'esbuild';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_GZIP_BYTES = 60 * 1024;
const dist = resolve('dist/index.js');

test('a minimal browser bundle loads one WASM build on demand, keeps optional code out of its up-front JS, and stays within 60 KB gzip', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wasmnn-bundle-'));
  try {
    await writeFile(
      join(dir, 'app.js'),
      [
        `import { Sequential, layers, tensor } from ${JSON.stringify(dist)};`,
        'const model = new Sequential([layers.conv2d({ filters: 4, kernelSize: 3, activation: "relu", inputShape: [8, 8, 1] }), layers.flatten(), layers.dense({ units: 2, activation: "softmax" })]);',
        'console.log((await model.predict(tensor(new Float32Array(64), [1, 8, 8, 1]))).toArray());',
      ].join('\n'),
    );
    const { metafile } = await build({
      entryPoints: [join(dir, 'app.js')], bundle: true, splitting: true, format: 'esm', minify: true, platform: 'browser',
      outdir: join(dir, 'out'), metafile: true, logLevel: 'silent',
    });
    const outputs = (metafile as Metafile).outputs;
    // Dynamically imported modules are entry points too: the app's is the one built from app.js.
    const entry = Object.keys(outputs).find((o) => outputs[o]!.entryPoint?.endsWith('app.js'))!;
    // Loaded up front: the entry and every chunk it imports statically, transitively.
    const upfront = new Set<string>();
    const visit = (o: string): void => {
      if (upfront.has(o)) return;
      upfront.add(o);
      for (const i of outputs[o]!.imports) if (i.kind === 'import-statement') visit(i.path);
    };
    visit(entry);
    const buildChunks = Object.keys(outputs).filter((o) => Object.keys(outputs[o]!.inputs).some((i) => /builds\/\w+\.generated\.js$/.test(i)));
    assert.is(buildChunks.length, 6, 'each WASM build is its own chunk');
    assert.equal([...upfront].filter((o) => buildChunks.includes(o)), [], 'no WASM build is loaded up front');
    const upfrontInputs = [...upfront].flatMap((o) => Object.keys(outputs[o]!.inputs));
    for (const optional of ['kernels/js/index.js', 'model/io-indexeddb.js', 'model/io-local-storage.js', 'model/io-http.js', 'model/onnx/export.js']) {
      assert.not.ok(upfrontInputs.some((i) => i.endsWith(optional)), `${optional} is loaded only when used`);
    }
    const relaxed = buildChunks.find((o) => Object.keys(outputs[o]!.inputs).some((i) => i.endsWith('builds/relaxed.generated.js')))!;
    const gz = async (o: string): Promise<number> => gzipSync(await readFile(resolve(o)), { level: 9 }).byteLength;
    const js = (await Promise.all([...upfront].map(gz))).reduce((a, b) => a + b, 0);
    const wasm = await gz(relaxed);
    const total = js + wasm;
    const verdict = total <= BUDGET_GZIP_BYTES ? 'within' : `OVER by ${((total - BUDGET_GZIP_BYTES) / 1024).toFixed(1)} KB:`;
    console.log(`  minimal bundle: ${(js / 1024).toFixed(1)} KB JS + ${(wasm / 1024).toFixed(1)} KB relaxed-SIMD build = ${(total / 1024).toFixed(1)} KB gzip, ${verdict} the ${BUDGET_GZIP_BYTES / 1024} KB budget`);
    assert.ok(total <= BUDGET_GZIP_BYTES, `${total} bytes gzip > ${BUDGET_GZIP_BYTES}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
