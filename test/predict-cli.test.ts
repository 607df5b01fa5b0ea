/** `wasmnn predict` as a child process on fixture images written to a temporary directory. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
  await mkdir(file('sub'));
  await writeFile(file('sub/deeper.JPG'), sevenJpeg.bytes);
  await mkdir(file('good'));
  await writeFile(file('good/a.png'), seven.bytes);
  await writeFile(file('good/b.jpeg'), sevenJpeg.bytes);
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

/** A minimal RFC 4180 reader for the rows the command writes (quoted fields may hold commas and quotes). */
function parseCsv(text: string): Record<string, string>[] {
  const lines = text.trimEnd().split('\n');
  const split = (line: string): string[] => [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"'));
  const header = split(lines[0]!);
  return lines.slice(1).map((l) => Object.fromEntries(split(l).map((v, i) => [header[i]!, v])));
}

test('a folder to CSV: one row per PNG/JPEG in order, bad files as error rows, exit 1, progress on stderr', async () => {
  const out = file('results.csv');
  const r = await predict(dir, '--out', out);
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stdout, '');
  const rows = parseCsv(await readFile(out, 'utf8'));
  assert.equal(rows.map((row) => row['file']), ['blank.png', 'cut.png', 'number.png', 'seven.jpg', 'seven.png'].map(file));
  const by = (name: string) => rows.find((row) => row['file'] === file(name))!;
  assert.equal(by('seven.png'), { ...by('seven.png'), digits: '7', isDigit: 'true', error: '', errorCode: '' });
  assert.ok(Number(by('seven.png')['confidence']) > 0.5);
  assert.equal(by('blank.png'), { ...by('blank.png'), digits: '', isDigit: 'false', reasonCode: 'blank', error: '' });
  assert.equal(by('cut.png'), { ...by('cut.png'), digits: '', confidence: '', isDigit: '', errorCode: 'TRUNCATED' });
  assert.match(by('cut.png')['error']!, /truncated PNG/);
  assert.match(r.stderr, /predict: 1 file that is not PNG\/JPEG skipped/);
  assert.match(r.stderr, /predict: 5\/5 files \(100%\), [\d.]+ files\/s, 1 failed/);
  assert.match(r.stderr, /predict: 5 files read, 1 failed; results in /);
});

test('--recursive to JSON Lines on two worker threads: subfolders too, the same fields', async () => {
  const out = file('results.jsonl');
  const r = await predict('--recursive', '--jobs', '2', '--out', out, dir);
  assert.is(r.code, 1, r.stderr);
  const rows = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.is(rows.length, 8, JSON.stringify(rows.map((row) => row['file'])));
  const deeper = rows.find((row) => row['file'] === file('sub/deeper.JPG'))!;
  assert.equal(Object.keys(deeper), ['file', 'digits', 'confidence', 'isDigit', 'uncertain', 'reasonCode', 'reason', 'error', 'errorCode']);
  assert.is(deeper['digits'], '7');
  assert.is(deeper['isDigit'], true);
  assert.is(rows.filter((row) => row['error'] !== '').length, 1);
});

test('a folder of good files exits 0; --out must be .csv or .jsonl', async () => {
  const ok = await predict(file('good'), '--out', file('good.csv'), '--jobs', '2');
  assert.is(ok.code, 0, ok.stderr);
  assert.is(parseCsv(await readFile(file('good.csv'), 'utf8')).filter((row) => row['digits'] === '7').length, 2);
  const bad = await predict(file('good'), '--out', file('good.txt'));
  assert.is(bad.code, 1);
  assert.match(bad.stderr, /--out must name a \.csv or \.jsonl file/);
});

test('a missing model directory is one clear error', async () => {
  const r = await predict('--model', file('no-model'), file('seven.png'));
  assert.is(r.code, 1);
  assert.match(r.stderr, /^wasmnn: cannot load model: no model found/);
});

test.run();
