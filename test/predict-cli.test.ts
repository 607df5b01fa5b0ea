/** `wasmnn predict` as a child process on fixture images written to a temporary directory. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedFixtures, type Fixture } from './fixtures/generate.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function predict(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'predict', ...args], {
      env: { ...process.env, WASMNN_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const fixtures = cachedFixtures(1);
const pick = (name: string): Fixture => fixtures.find((f) => f.name === name)!;
const seven = pick('digit-7-3-clean-png-grey-alpha');
const sevenJpeg = pick('digit-7-1-chalk-jpeg-75');
const number = pick('number-56-clean-png-rgba');
const blank = pick('none-blank-white-png-grey');

let dir = '';
const file = (name: string) => join(dir, name);

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wasmnn-predict-'));
  await writeFile(file('seven.png'), seven.bytes);
  await writeFile(file('seven.jpg'), sevenJpeg.bytes);
  await writeFile(file('number.png'), number.bytes);
  await writeFile(file('blank.png'), blank.bytes);
  await writeFile(file('notes.txt'), 'not an image');
  await writeFile(file('cut.png'), seven.bytes.subarray(0, seven.bytes.length - 40));
});

test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('human output: the digit, its confidence and all ten probabilities', async () => {
  const r = await predict(file('seven.png'));
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /seven\.png: 7 \(confidence \d+\.\d%\)/);
  assert.is(lines.length, 11, r.stdout);
  lines.slice(1).forEach((line, c) => assert.match(line, new RegExp(`^  ${c} [█·]{30} +\\d+\\.\\d%$`)));
});

test('--json: one object per image with digit, probabilities, isDigit', async () => {
  const r = await predict('--json', file('seven.png'), file('seven.jpg'), file('blank.png'));
  assert.is(r.code, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.is(rows.length, 3);
  assert.is(rows[0]!['file'], file('seven.png'));
  assert.is(rows[0]!['digit'], 7);
  assert.is(rows[1]!['digit'], 7);
  for (const row of rows) assert.is((row['probabilities'] as number[]).length, 10);
  assert.is(rows[0]!['isDigit'], true);
  assert.is(rows[2]!['isDigit'], false);
  assert.is(rows[2]!['digit'], null);
  assert.type(rows[2]!['reason'], 'string');
});

test('--multi reads a number (human and JSON)', async () => {
  const human = await predict('--multi', file('number.png'));
  assert.is(human.code, 0, human.stderr);
  assert.match(human.stdout, /number\.png: 56 \(lowest confidence/);
  assert.match(human.stdout, /digit 2: 6 \(confidence/);
  const json = await predict('--multi', '--json', file('number.png'));
  const row = JSON.parse(json.stdout) as Record<string, unknown>;
  assert.is(row['digits'], '56');
  assert.is(row['isDigit'], true);
  assert.is((row['probabilities'] as number[][]).length, 2);
});

test('bad files: exit 1, a clear message per file, the good ones still answered', async () => {
  const r = await predict(file('notes.txt'), file('seven.png'), file('cut.png'), file('missing.png'));
  assert.is(r.code, 1);
  assert.match(r.stdout, /seven\.png: 7/);
  const errors = r.stderr.trim().split('\n');
  assert.is(errors.length, 3, r.stderr);
  assert.match(errors[0]!, /^wasmnn: .*notes\.txt: not a PNG or JPEG image/);
  assert.match(errors[1]!, /^wasmnn: .*cut\.png: truncated PNG/);
  assert.match(errors[2]!, /^wasmnn: .*missing\.png: no such file/);
  assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');

  const json = await predict('--json', file('notes.txt'));
  assert.is(json.code, 1);
  assert.equal(JSON.parse(json.stdout), { file: file('notes.txt'), error: 'not a PNG or JPEG image (unrecognised magic bytes)', code: 'UNKNOWN_FORMAT' });
});

test('a missing model directory is one clear error', async () => {
  const r = await predict('--model', file('no-model'), file('seven.png'));
  assert.is(r.code, 1);
  assert.match(r.stderr, /^wasmnn: cannot load model: no model found/);
});

test.run();
