// The teach mode's sample order, undo/redo and held-out split (src/server/page/teach-session.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DIGITS, ROUNDS, TeachSession } from '../src/server/page/teach-session.js';
import { throwsWith } from './helpers/rejects.js';

/** A sample whose every input is `v`, so where it ends up can be told. */
const sample = (v: number): Float32Array => new Float32Array(784).fill(v);

test('asks for every digit once per round, and holds out the last round', () => {
  const s = new TeachSession();
  const asked: number[] = [];
  while (!s.complete) {
    asked.push(s.nextDigit!);
    s.add(sample(s.count));
  }
  assert.is(s.count, DIGITS * ROUNDS);
  assert.equal(asked.slice(0, 12), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
  assert.is(s.nextDigit, null);
  const { train, heldOut } = s.split();
  assert.equal(Array.from(heldOut.labels), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.is(train.labels.length, DIGITS * (ROUNDS - 1));
  for (let i = 0; i < train.labels.length; i++) assert.is(train.inputs[i * 784], i, `train row ${i} is sample ${i}`);
  for (let i = 0; i < DIGITS; i++) assert.is(heldOut.inputs[i * 784], DIGITS * (ROUNDS - 1) + i, `held-out row ${i}`);
  throwsWith(() => s.add(sample(0)), 'every sample is already drawn');
});

test('undo takes the last sample back and asks for its digit again; redo restores it until a new sample is drawn', () => {
  const s = new TeachSession();
  s.add(sample(1));
  s.add(sample(2));
  assert.ok(!s.canRedo);
  s.undo();
  assert.is(s.count, 1);
  assert.is(s.nextDigit, 1);
  assert.ok(s.canRedo);
  s.redo();
  assert.is(s.count, 2);
  s.undo();
  s.add(sample(3));
  assert.ok(!s.canRedo, 'a new sample drops what was undone');
  s.undo();
  s.undo();
  s.undo(); // nothing left: no error
  assert.is(s.count, 0);
  assert.ok(!s.canUndo);
});

test('bad input is a named error', () => {
  const s = new TeachSession();
  throwsWith(() => s.add(new Float32Array(10)), '784 model inputs', 'got 10');
  throwsWith(() => s.split(), '0 of 50 samples drawn');
});

test.run();
