// `wasmnn train --checkpoint DIR`, SIGKILLed after its first checkpoint, then `--resume DIR`,
// ends with the same weights, byte for byte, as the run that was never interrupted.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const TRAIN = ['train', '--train-limit', '3000', '--test-limit', '200', '--epochs', '3', '--seed', '5', '--no-relaxed-simd'];

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Runs the CLI; `killWhen` is polled and the process SIGKILLed the first time it returns true. */
function cli(args: string[], killWhen?: () => Promise<boolean>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { env: { ...process.env, WASMNN_THREADS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    const poll = killWhen && setInterval(() => void killWhen().then((yes) => yes && child.kill('SIGKILL')), 10);
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (poll) clearInterval(poll);
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

async function epochsIn(dir: string): Promise<number> {
  try {
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as { userDefinedMetadata?: { wasmnn?: { epochsCompleted?: number } } };
    return json.userDefinedMetadata?.wasmnn?.epochsCompleted ?? 0;
  } catch {
    return 0;
  }
}

test('a killed training run resumed from its checkpoint ends with the uninterrupted weights', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'wasmnn-resume-'));
  try {
    const straight = await cli([...TRAIN, '--out', join(tmp, 'straight')]);
    assert.is(straight.code, 0, straight.output);

    const ckpt = join(tmp, 'ckpt');
    const killed = await cli([...TRAIN, '--checkpoint', ckpt, '--out', join(tmp, 'never')], async () => (await epochsIn(ckpt)) >= 1);
    assert.is(killed.signal, 'SIGKILL', `the run was meant to be killed mid-way:\n${killed.output}`);
    assert.not.ok(existsSync(join(tmp, 'never')), 'the killed run did not finish');
    const done = await epochsIn(ckpt);
    assert.ok(done >= 1 && done < 3, `checkpoint after ${done} epochs`);

    const resumed = await cli([...TRAIN, '--checkpoint', ckpt, '--resume', ckpt, '--out', join(tmp, 'resumed')]);
    assert.is(resumed.code, 0, resumed.output);
    assert.match(resumed.output, new RegExp(`Resuming from .* after epoch ${done}`));
    const a = await readFile(join(tmp, 'straight', 'group1-shard1of1.bin'));
    const b = await readFile(join(tmp, 'resumed', 'group1-shard1of1.bin'));
    assert.ok(a.equals(b), 'resumed weights differ from the uninterrupted run');

    const notCheckpoint = await cli([...TRAIN, '--resume', join(tmp, 'straight'), '--out', join(tmp, 'x')]);
    assert.is(notCheckpoint.code, 1);
    assert.match(notCheckpoint.output, /--resume .*: not a checkpoint/);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});

test.run();
