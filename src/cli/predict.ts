/**
 * `wasmnn predict`: read digits in image files (or whole folders of them) with a saved model
 * (default: the pretrained one). With --out, one row per file goes to a CSV or JSON Lines file
 * and a progress bar to stderr; otherwise each file's result is printed.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { extname, resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { defaultModelDir } from '../pretrained.js';
import type { DigitPrediction, Prediction } from '../recognizer/prediction.js';
import { fileProgress } from './file-progress.js';
import { listImageFiles } from './image-files.js';
import { type BuilderOptions, CliError, commonOptions, positiveInt } from './options.js';
import type { FileOutcome } from './predict-file.js';
import { defaultJobs, fileSizes } from './predict-jobs.js';
import { startPredictor } from './predict-pool.js';
import { csvHeader, csvLine, errorRow, jsonLine, predictionRow, type ResultRow } from './result-rows.js';

/** Files in flight per job: enough to keep a worker busy while the main thread writes rows. */
const IN_FLIGHT_PER_JOB = 4;

function builder(y: Argv) {
  return y
    .positional('images', { type: 'string', array: true, describe: 'PNG or JPEG files, or directories of them' })
    .options({
      model: { type: 'string', describe: 'Model directory (default: the pretrained compact CNN)', requiresArg: true },
      multi: { type: 'boolean', default: false, describe: 'Read a line of several digits (e.g. 2024)' },
      json: { type: 'boolean', default: false, describe: 'One JSON object per image on stdout' },
      out: { type: 'string', describe: 'Write one row per file to this .csv or .jsonl file (progress on stderr)', requiresArg: true },
      recursive: { type: 'boolean', default: false, alias: 'r', describe: 'Also read the images in subdirectories' },
      jobs: { describe: 'Files read in parallel, one thread each (default: 2 on 2+ cores when the files are photos adding up to 2 MB or more, else 1)', requiresArg: true, coerce: positiveInt('jobs') },
      backend: commonOptions.backend,
    })
    .example('$0 predict digit.png', 'The digit, its confidence and all ten probabilities')
    .example('$0 predict --multi --json year.jpg', 'A number, as JSON')
    .example('$0 predict photos/ -r --out results.csv', 'Every PNG/JPEG under photos/, one CSV row each');
}

type PredictOptions = BuilderOptions<typeof builder>;

async function handler(args: ArgumentsCamelCase<PredictOptions>): Promise<void> {
  const format = args.out === undefined ? null : outFormat(args.out);
  const { files, skipped } = await listImageFiles(args.images ?? [], args.recursive);
  if (files.length === 0) throw new CliError(`no PNG or JPEG files found${skipped > 0 ? ` (${skipped} other file${skipped === 1 ? '' : 's'} skipped)` : ''}`);
  const jobs = Math.min(args.jobs ?? defaultJobs(await fileSizes(files), availableParallelism()), files.length);
  const predictor = await startPredictor({ modelDir: args.model === undefined ? defaultModelDir() : resolve(args.model), multi: args.multi, jobs, ...(args.backend ? { backend: args.backend } : {}) });
  let out: FileHandle | null = null;
  let failures = 0;
  try {
    if (args.out !== undefined) {
      out = await open(args.out, 'w').catch((err: Error) => {
        throw new CliError(`--out ${args.out}: ${err.message}`, { cause: err });
      });
      if (format === 'csv') await out.write(csvHeader());
    }
    const progress = out ? fileProgress(files.length) : null;
    if (progress && skipped > 0) process.stderr.write(`predict: ${skipped === 1 ? '1 file that is' : `${skipped} files that are`} not PNG/JPEG skipped\n`);
    await inOrder(files, jobs * IN_FLIGHT_PER_JOB, (file) => predictor.predict(file), async (file, outcome) => {
      const failed = 'error' in outcome;
      if (failed) failures++;
      if (out) {
        const row: ResultRow = failed ? errorRow(file, outcome.error, outcome.code) : predictionRow(file, outcome.prediction);
        await out.write(format === 'csv' ? csvLine(row) : jsonLine(row));
        progress!.tick(failed);
      } else print(file, outcome, args.json);
    });
    progress?.done();
  } finally {
    await out?.close();
    await predictor.close();
  }
  if (out) process.stderr.write(`predict: ${files.length} file${files.length === 1 ? '' : 's'} read, ${failures} failed; results in ${args.out}\n`);
  if (failures > 0) process.exitCode = 1;
}

function outFormat(path: string): 'csv' | 'jsonl' {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new CliError(`--out must name a .csv or .jsonl file, got '${path}'`);
}

/**
 * Runs `work` on every item with at most `limit` in flight, and hands each result to `done` in the
 * items' order (so the output file lists files as they were given, whichever thread finished first).
 */
async function inOrder<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>, done: (item: T, result: R) => Promise<void> | void): Promise<void> {
  const started: Promise<R>[] = [];
  let next = 0;
  const start = (): void => {
    while (next < items.length && next - flushed < limit) started.push(work(items[next++]!));
  };
  let flushed = 0;
  start();
  while (flushed < items.length) {
    const result = await started[flushed]!;
    await done(items[flushed]!, result);
    delete started[flushed]; // let the result go
    flushed++;
    start();
  }
}

function print(file: string, outcome: FileOutcome, json: boolean): void {
  if ('error' in outcome) {
    if (json) process.stdout.write(`${JSON.stringify({ file, error: outcome.error, ...(outcome.code ? { code: outcome.code } : {}) })}\n`);
    process.stderr.write(`wasmnn: ${file}: ${outcome.error}\n`);
    return;
  }
  process.stdout.write(json ? `${JSON.stringify({ file, ...outcome.prediction })}\n` : describe(file, outcome.prediction));
}

function describe(file: string, p: Prediction): string {
  if ('digits' in p) {
    const head = p.isDigit
      ? `${file}: ${p.digits} (lowest confidence ${percent(p.confidence)}${p.uncertain ? ', not sure' : ''})`
      : `${file}: not a number - ${p.reason ?? 'unreadable'}${p.digits ? ` (read '${p.digits}')` : ''}`;
    return [head, ...p.items.flatMap((item, i) => [`  digit ${i + 1}: ${verdict(item)}`, ...bars(item, '    ')]), ''].join('\n');
  }
  return [`${file}: ${verdict(p)}`, ...bars(p, '  '), ''].join('\n');
}

function verdict(p: DigitPrediction): string {
  if (!p.isDigit) return `not a digit - ${p.reason ?? 'unknown reason'}`;
  return `${p.digit} (confidence ${percent(p.confidence)}${p.uncertain ? ', not sure' : ''})`;
}

function bars(p: DigitPrediction, indent: string): string[] {
  if (p.probabilities.every((x) => x === 0)) return [];
  return p.probabilities.map((x, c) => `${indent}${c} ${'█'.repeat(Math.round(x * 30)).padEnd(30, '·')} ${percent(x).padStart(6)}`);
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

export const predictCommand: CommandModule<object, PredictOptions> = {
  command: 'predict <images..>',
  describe: 'Recognise the digit (or, with --multi, the number) in PNG/JPEG images or folders of them',
  builder,
  handler,
};
