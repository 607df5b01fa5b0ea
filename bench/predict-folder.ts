// Folder throughput of `wasmnn predict` (files/s): 28x28 PNGs (canvas exports) and 300x300 JPEG
// photos, read by one thread, by one thread with the WASM backend's second thread, and by two
// worker threads (--jobs 2). Rounds alternate so a loaded machine slows every row alike.
//
//   npx tsx bench/predict-folder.ts [--files 200] [--rounds 3]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import '../src/index.node.js';
import { startPredictor } from '../src/cli/predict-pool.js';
import { defaultModelDir } from '../src/pretrained.js';
import { drawDigits, encode, paint, randomLook } from '../src/synthetic/handwriting.js';
import { Rng } from '../src/synthetic/rng.js';

const { values } = parseArgs({ options: { files: { type: 'string', default: '200' }, rounds: { type: 'string', default: '3' } } });
const count = Number(values.files);
const rounds = Number(values.rounds);
const dir = await mkdtemp(join(tmpdir(), 'wasmnn-bench-folder-'));
const rng = new Rng(3);
const sets: Record<string, string[]> = { '28x28 PNG': [], '300x300 JPEG': [] };
for (let i = 0; i < count; i++) {
  const small = drawDigits(rng, String(i % 10), { width: 28, height: 28, size: 20, radiusFraction: 0.07 });
  const png = encode(paint(rng, small, { paper: [0, 0, 0], ink: [1, 1, 1], lighting: 0, texture: 0, noise: 0 }), 28, 28, 'png-grey');
  const big = drawDigits(rng, String(i % 10), { width: 300, height: 300 });
  const jpeg = encode(paint(rng, big, randomLook(rng, 'pen')), 300, 300, 'jpeg-75');
  sets['28x28 PNG']!.push(join(dir, `s${i}.png`));
  sets['300x300 JPEG']!.push(join(dir, `b${i}.jpg`));
  await writeFile(join(dir, `s${i}.png`), png);
  await writeFile(join(dir, `b${i}.jpg`), jpeg);
}

const setups = [
  { name: '1 thread', jobs: 1, wasmThreads: '1' },
  { name: '1 thread + WASM 2nd thread', jobs: 1, wasmThreads: '2' },
  { name: '2 worker threads (--jobs 2)', jobs: 2, wasmThreads: '1' },
];
const best = new Map<string, number>();
for (let round = 0; round < rounds; round++) {
  for (const s of setups) {
    process.env['WASMNN_THREADS'] = s.wasmThreads;
    const predictor = await startPredictor({ modelDir: defaultModelDir(), multi: false, jobs: s.jobs });
    for (const [kind, files] of Object.entries(sets)) {
      const t0 = performance.now();
      const outcomes = await inFlight(files, 4 * s.jobs, (f) => predictor.predict(f));
      const rate = files.length / ((performance.now() - t0) / 1000);
      if (outcomes.some((o) => 'error' in o)) throw new Error(`a bench file failed: ${JSON.stringify(outcomes.find((o) => 'error' in o))}`);
      const key = `${kind}|${s.name}`;
      best.set(key, Math.max(best.get(key) ?? 0, rate));
    }
    await predictor.close();
  }
}
await rm(dir, { recursive: true, force: true });

console.log(`${count} files per kind, best of ${rounds} alternating rounds (files/s)\n`);
console.log(`| files | ${setups.map((s) => s.name).join(' | ')} | 2 workers / 1 thread |`);
console.log(`|---|${setups.map(() => '---|').join('')}---|`);
for (const kind of Object.keys(sets)) {
  const rates = setups.map((s) => best.get(`${kind}|${s.name}`)!);
  console.log(`| ${kind} | ${rates.map((r) => r.toFixed(0)).join(' | ')} | ${(rates[2]! / rates[0]!).toFixed(2)}x |`);
}

async function inFlight<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return out;
}
