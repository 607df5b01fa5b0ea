/**
 * Where CLI output goes. Human mode: everything to stdout. --json mode: the human
 * text (summary, progress, messages) to stderr, and stdout holds exactly one line,
 * the JSON result, so `wasmnn train --json | jq` works.
 */
import type { ProgressOutput } from '../model/progress.js';

export interface CliOutput {
  readonly json: boolean;
  /** One line of human-readable text. */
  info(line: string): void;
  /** Training progress (a live bar when the stream is a terminal). */
  progress: ProgressOutput;
  /** The command's result: printed as one JSON line with --json, ignored otherwise. */
  result(value: Record<string, unknown>): void;
}

export function createOutput(json: boolean): CliOutput {
  const human = json ? process.stderr : process.stdout;
  const line = (text: string) => void human.write(`${text}\n`);
  const progress: ProgressOutput = human.isTTY ? { write: (text) => void human.write(text), line } : { line };
  return {
    json,
    info: line,
    progress,
    result(value) {
      if (json) process.stdout.write(`${JSON.stringify(value)}\n`);
    },
  };
}

/** Rounds for display and JSON (keeps results readable without losing meaning). */
export function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
