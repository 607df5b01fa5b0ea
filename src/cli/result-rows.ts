/** One row per file of `wasmnn predict --out`: the same fields in CSV and in JSON Lines. */
import type { Prediction } from '../recognizer/prediction.js';

export interface ResultRow {
  file: string;
  /** The digit, or the digits of a number ('?' for a mark that is not a digit); '' when nothing was read. */
  digits: string;
  /** The digit's confidence (a number: the lowest among its digits); null when the file failed. */
  confidence: number | null;
  isDigit: boolean | null;
  uncertain: boolean | null;
  reasonCode: string;
  reason: string;
  /** Why the file could not be read or decoded; '' when it was. */
  error: string;
  errorCode: string;
}

export const ROW_FIELDS: readonly (keyof ResultRow)[] = ['file', 'digits', 'confidence', 'isDigit', 'uncertain', 'reasonCode', 'reason', 'error', 'errorCode'];

export function predictionRow(file: string, p: Prediction): ResultRow {
  const digits = 'digits' in p ? p.digits : p.digit === null ? '' : String(p.digit);
  return { file, digits, confidence: p.confidence, isDigit: p.isDigit, uncertain: p.uncertain, reasonCode: p.reasonCode ?? '', reason: p.reason ?? '', error: '', errorCode: '' };
}

export function errorRow(file: string, message: string, code = ''): ResultRow {
  return { file, digits: '', confidence: null, isDigit: null, uncertain: null, reasonCode: '', reason: '', error: message, errorCode: code };
}

export const csvHeader = (): string => `${ROW_FIELDS.join(',')}\n`;

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled. */
export function csvLine(row: ResultRow): string {
  return `${ROW_FIELDS.map((k) => csvField(row[k])).join(',')}\n`;
}

function csvField(v: string | number | boolean | null): string {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const jsonLine = (row: ResultRow): string => `${JSON.stringify(row)}\n`;
