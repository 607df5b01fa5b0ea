/** `wasmnn predict`: read digits in image files with a saved model (default: the pretrained one). */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { loadModel } from '../index.node.js';
import { defaultModelDir } from '../pretrained.js';
import { modelClassifier, predictImage, type DigitPrediction, type Prediction } from '../recognizer/prediction.js';
import { type BuilderOptions, CliError, commonOptions } from './options.js';

function builder(y: Argv) {
  return y
    .positional('images', { type: 'string', array: true, describe: 'PNG or JPEG files' })
    .options({
      model: { type: 'string', describe: 'Model directory (default: the pretrained compact CNN)', requiresArg: true },
      multi: { type: 'boolean', default: false, describe: 'Read a line of several digits (e.g. 2024)' },
      json: { type: 'boolean', default: false, describe: 'One JSON object per image on stdout' },
      backend: commonOptions.backend,
    })
    .example('$0 predict digit.png', 'The digit, its confidence and all ten probabilities')
    .example('$0 predict --multi --json year.jpg', 'A number, as JSON');
}

type PredictOptions = BuilderOptions<typeof builder>;

async function handler(args: ArgumentsCamelCase<PredictOptions>): Promise<void> {
  const dir = args.model === undefined ? defaultModelDir() : resolve(args.model);
  const model = await loadModel(dir, args.backend ? { backend: args.backend } : {}).catch((err: Error) => {
    throw new CliError(`cannot load model: ${err.message}`, { cause: err });
  });
  const classify = modelClassifier(model);
  let failures = 0;
  try {
    for (const file of args.images ?? []) {
      try {
        const bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
          throw new Error(err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message);
        });
        const prediction = await predictImage(bytes, classify, { multi: args.multi });
        process.stdout.write(args.json ? `${JSON.stringify({ file, ...prediction })}\n` : describe(file, prediction));
      } catch (err) {
        failures++;
        const message = err instanceof Error ? err.message : String(err);
        const code = (err as { code?: unknown }).code;
        if (args.json) process.stdout.write(`${JSON.stringify({ file, error: message, ...(typeof code === 'string' ? { code } : {}) })}\n`);
        process.stderr.write(`wasmnn: ${file}: ${message}\n`);
      }
    }
  } finally {
    model.dispose();
  }
  if (failures > 0) process.exitCode = 1;
}

function describe(file: string, p: Prediction): string {
  if ('digits' in p) {
    const head = p.isDigit ? `${file}: ${p.digits} (lowest confidence ${percent(p.confidence)})` : `${file}: not a number - ${p.reason ?? 'unreadable'}${p.digits ? ` (read '${p.digits}')` : ''}`;
    return [head, ...p.items.flatMap((item, i) => [`  digit ${i + 1}: ${verdict(item)}`, ...bars(item, '    ')]), ''].join('\n');
  }
  return [`${file}: ${verdict(p)}`, ...bars(p, '  '), ''].join('\n');
}

function verdict(p: DigitPrediction): string {
  return p.isDigit ? `${p.digit} (confidence ${percent(p.confidence)})` : `not a digit - ${p.reason ?? 'unknown reason'}`;
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
  describe: 'Recognise the digit (or, with --multi, the number) in PNG/JPEG images',
  builder,
  handler,
};
