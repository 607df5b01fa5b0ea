// Saves are atomic as a whole: a process SIGKILLed after any step of a save over an existing
// model leaves the directory holding the complete old model or the complete new one (here with
// other shapes, so a mix could not load), and the next save removes what it left.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadArtifactsFromDirectory, saveArtifactsToDirectory, type SaveStep } from '../src/model/io-node.js';
import { decodeWeights } from '../src/model/weights-format.js';
import { crashTestArtifacts } from './helpers/crash-model.js';

const ROOT = join(import.meta.dirname, '..');
const STEPS: SaveStep[] = ['old-weights-linked', 'old-model-json-relinked', 'weights-written', 'model-json-written', 'old-weights-removed'];

function saveAndDie(dir: string, step: SaveStep | 'none', units: number, value: number): number | null {
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'save-and-die.ts'), dir, step, String(units), String(value)], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (child.status !== 0 && child.signal !== 'SIGKILL') throw new Error(`save-and-die failed: ${child.stderr}`);
  return child.signal === 'SIGKILL' ? null : child.status;
}

/** The model in `dir`: its Dense width and the one value all its weights hold. */
async function modelIn(dir: string): Promise<{ units: number; value: number }> {
  const { modelJson, shards } = await loadArtifactsFromDirectory(dir);
  const weights = decodeWeights(modelJson, shards);
  const values = new Set(weights.flatMap((w) => [...w.data]));
  assert.is(values.size, 1, 'weights of one model only');
  return { units: weights[1]!.shape[0]!, value: [...values][0]! };
}

test('a save killed after any of its steps leaves the old model or the new one, complete', async () => {
  for (const step of STEPS) {
    const dir = await mkdtemp(join(tmpdir(), 'wasmnn-crash-'));
    try {
      await saveArtifactsToDirectory(dir, crashTestArtifacts(3, 1));
      assert.is(saveAndDie(dir, step, 5, 2), null, `the child was killed after '${step}'`);
      const found = await modelIn(dir);
      const expectNew = STEPS.indexOf(step) >= STEPS.indexOf('model-json-written');
      assert.equal(found, expectNew ? { units: 5, value: 2 } : { units: 3, value: 1 }, `after '${step}'`);
      // The next save cleans up whatever the killed one left.
      await saveArtifactsToDirectory(dir, crashTestArtifacts(4, 3));
      assert.equal(await modelIn(dir), { units: 4, value: 3 });
      assert.equal((await readdir(dir)).sort(), ['group1-shard1of1.bin', 'model.json'], `leftovers after '${step}'`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
});

test('an uninterrupted overwrite leaves only the new model, under the usual names', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wasmnn-crash-'));
  try {
    await saveArtifactsToDirectory(dir, crashTestArtifacts(3, 1));
    assert.is(saveAndDie(dir, 'none', 5, 2), 0);
    assert.equal(await modelIn(dir), { units: 5, value: 2 });
    assert.equal((await readdir(dir)).sort(), ['group1-shard1of1.bin', 'model.json']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
