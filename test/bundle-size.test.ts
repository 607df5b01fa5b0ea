/**
 * What a browser app pays for the core: a minimal app (Sequential + layers + predict) bundled by
 * esbuild from the built package with code splitting, as a bundler user would ship it. The
 * budget covers the JS the page loads up front plus the one WASM build a browser with relaxed
 * SIMD then imports; the other five builds must stay out of it (separate chunks, never fetched).
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

test('a minimal browser bundle stays within 60 KB gzip with the relaxed-SIMD build', async () => {
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
    const entry = Object.keys(outputs).find((o) => outputs[o]!.entryPoint !== undefined)!;
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
    const relaxed = buildChunks.find((o) => Object.keys(outputs[o]!.inputs).some((i) => i.endsWith('builds/relaxed.generated.js')))!;
    const gz = async (o: string): Promise<number> => gzipSync(await readFile(resolve(o)), { level: 9 }).byteLength;
    const js = (await Promise.all([...upfront].map(gz))).reduce((a, b) => a + b, 0);
    const wasm = await gz(relaxed);
    console.log(`  minimal bundle: ${(js / 1024).toFixed(1)} KB JS + ${(wasm / 1024).toFixed(1)} KB relaxed-SIMD build = ${((js + wasm) / 1024).toFixed(1)} KB gzip (budget ${BUDGET_GZIP_BYTES / 1024} KB)`);
    assert.ok(js + wasm <= BUDGET_GZIP_BYTES, `${js + wasm} bytes gzip > ${BUDGET_GZIP_BYTES}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
