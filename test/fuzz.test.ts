// Bounded fuzzing with a fixed seed: a few hundred mutated PNG, JPEG, IDX and model.json inputs.
// Every one must end in a result or in an error that names the problem — never a crash, a hang,
// a trap, or an internal error such as "Cannot read properties of undefined".
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseIdx } from '../src/data/idx.js';
import { decodeImage } from '../src/image/node.js';
import { loadModel } from '../src/index.js';
import { Rng } from '../src/synthetic/rng.js';
import { cachedFixtures } from './fixtures/generate.js';
import { encodeIdx } from './helpers/idx.js';

const ROOT = join(import.meta.dirname, '..');
/** Messages of errors nobody wrote on purpose: a bug, not a named problem. */
const INTERNAL = /Cannot read propert|is not a function|is not iterable|undefined is not|null is not|Maximum call stack|unreachable|memory access out of bounds|RuntimeError|Invalid array length|Invalid typed array length/;
/** One input may take this long at most (a hang or a decompression bomb would not). */
const MAX_MS = 2_000;

async function expectNamedOutcome(what: string, run: () => unknown): Promise<'ok' | 'error'> {
  const t0 = performance.now();
  let outcome: 'ok' | 'error' = 'ok';
  try {
    await run();
  } catch (err) {
    outcome = 'error';
    assert.instance(err, Error, `${what}: threw a non-Error ${String(err)}`);
    const message = (err as Error).message;
    assert.ok(message.length > 10, `${what}: an error without a useful message: '${message}'`);
    assert.not.match(message, INTERNAL, `${what}: internal error leaked: ${message}`);
  }
  const ms = performance.now() - t0;
  assert.ok(ms < MAX_MS, `${what}: took ${ms.toFixed(0)} ms`);
  return outcome;
}

/** A mutated copy of `bytes`: flipped bytes, a cut, a spliced run, or a repeated region. */
function mutate(rng: Rng, bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  switch (rng.int(0, 3)) {
    case 0: // flip a few bytes (often in the header, where the structure is)
      for (let k = rng.int(1, 8); k > 0; k--) out[rng.chance(0.5) ? rng.int(0, Math.min(63, out.length - 1)) : rng.int(0, out.length - 1)] = rng.int(0, 255);
      return out;
    case 1: // cut
      return out.subarray(0, rng.int(0, out.length - 1));
    case 2: { // splice random bytes in
      const at = rng.int(0, out.length);
      const junk = Uint8Array.from({ length: rng.int(1, 64) }, () => rng.int(0, 255));
      return Uint8Array.from([...out.subarray(0, at), ...junk, ...out.subarray(at)]);
    }
    default: { // repeat a region
      const a = rng.int(0, out.length - 1);
      const b = Math.min(out.length, a + rng.int(1, 256));
      return Uint8Array.from([...out.subarray(0, b), ...out.subarray(a, b), ...out.subarray(b)]);
    }
  }
}

test('mutated PNG and JPEG files decode or fail with a named error', async () => {
  const rng = new Rng(2026);
  const seeds = cachedFixtures().filter((f) => f.bytes.length < 40_000).slice(0, 24);
  const outcomes = { ok: 0, error: 0 };
  for (let i = 0; i < 240; i++) {
    const base = rng.pick(seeds);
    const bytes = mutate(rng, base.bytes);
    outcomes[await expectNamedOutcome(`${base.name} mutation ${i}`, () => decodeImage(bytes, { maxPixels: 4_000_000 }))]++;
  }
  assert.ok(outcomes.error > 50 && outcomes.ok > 0, JSON.stringify(outcomes));
});

test('mutated IDX files parse or fail with a named error', async () => {
  const rng = new Rng(7);
  const seeds = [encodeIdx(0x08, [3, 28, 28], new Uint8Array(3 * 784).fill(9)), encodeIdx(0x08, [5], [1, 2, 3, 4, 5]), encodeIdx(0x0d, [2, 3], [1, 2, 3, 4, 5, 6])];
  for (let i = 0; i < 150; i++) {
    const bytes = mutate(rng, rng.pick(seeds));
    await expectNamedOutcome(`IDX mutation ${i}`, () => parseIdx(bytes, 'fuzz.idx'));
  }
});

/** A random value of a random kind, for replacing a node of model.json. */
function randomJson(rng: Rng): unknown {
  return rng.pick<() => unknown>([
    () => null,
    () => rng.int(-3, 3),
    () => 1e12,
    () => -1,
    () => 0.5,
    () => 'relu',
    () => '__proto__',
    () => '',
    () => [],
    () => [null, -1],
    () => ({}),
    () => ({ class_name: 'Dense', config: {} }),
    () => true,
  ])();
}

/** Replaces one randomly chosen node (key or array element) of a JSON tree. */
function mutateJson(rng: Rng, root: unknown): unknown {
  const copy = structuredClone(root) as Record<string, unknown>;
  const nodes: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach((x, i) => (nodes.push([v, i]), walk(x)));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) nodes.push([v as Record<string, unknown>, k]), walk(x);
  };
  walk(copy);
  const [parent, key] = rng.pick(nodes);
  if (rng.chance(0.15) && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key as string];
  else (parent as Record<string | number, unknown>)[key] = randomJson(rng);
  return copy;
}

test('mutated model.json and weight bytes load or fail with a named error', async () => {
  const dir = join(ROOT, 'pretrained', 'compact');
  const modelJson = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as unknown;
  const weights = new Uint8Array(await readFile(join(dir, 'group1-shard1of1.bin')));
  const rng = new Rng(11);
  const outcomes = { ok: 0, error: 0 };
  for (let i = 0; i < 120; i++) {
    const json = mutateJson(rng, modelJson);
    const bytes = rng.chance(0.2) ? mutate(rng, weights) : weights;
    outcomes[await expectNamedOutcome(`model.json mutation ${i}`, async () => (await loadModel({ modelJson: json, weightData: bytes }, { backend: 'js' })).dispose())]++;
  }
  assert.ok(outcomes.error > 20, JSON.stringify(outcomes));
});

test.run();
