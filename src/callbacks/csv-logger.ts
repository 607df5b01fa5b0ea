// Node only (node:fs): exported from index.node.ts, never from the browser-safe core.
import { appendFile, stat, writeFile } from 'node:fs/promises';
import type { Logs } from '../model/progress.js';
import type { Callbacks } from '../model/training-loop.js';

export interface CsvLoggerArgs {
  separator?: string;
  /** Add to an existing file instead of replacing it (its header is kept). */
  append?: boolean;
}

/** Keras CSVLogger: one row per epoch (epoch, then the logs' keys in sorted order) in a CSV file. */
export class CsvLogger implements Callbacks {
  private readonly separator: string;
  private readonly append: boolean;
  private keys: string[] | null = null;
  private needsHeader = true;

  constructor(
    readonly filename: string,
    args: CsvLoggerArgs = {},
  ) {
    if (typeof filename !== 'string' || filename === '') throw new Error('csvLogger: filename must be a non-empty path');
    this.separator = args.separator ?? ',';
    this.append = args.append ?? false;
  }

  async onTrainBegin(): Promise<void> {
    this.keys = null;
    if (this.append) {
      const size = await stat(this.filename).then((s) => s.size, () => 0);
      this.needsHeader = size === 0;
    } else {
      await writeFile(this.filename, '');
      this.needsHeader = true;
    }
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    this.keys ??= Object.keys(logs).sort();
    const header = this.needsHeader ? ['epoch', ...this.keys].join(this.separator) + '\n' : '';
    this.needsHeader = false;
    // A key missing this epoch (say, no validation this time) is written 'NA', as Keras does.
    const row = [String(epoch), ...this.keys.map((k) => (logs[k] === undefined ? 'NA' : String(logs[k])))].join(this.separator);
    await appendFile(this.filename, `${header}${row}\n`);
  }
}

export function csvLogger(filename: string, args: CsvLoggerArgs = {}): CsvLogger {
  return new CsvLogger(filename, args);
}
