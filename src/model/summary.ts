import type { Layer } from '../layers/layer.js';
import { formatShape } from '../tensor.js';

/** Keras' column widths, the first without the row's leading space; a column widens for longer text. */
const WIDTHS = [28, 26, 10];

/** The model as Keras' model.summary() prints it. */
export function formatSummary(modelName: string, layers: readonly Layer[]): string {
  const rows = [['Layer (type)', 'Output Shape', 'Param #'], ...layers.map((l) => [`${l.name} (${l.className})`, formatShape(l.outputShape), l.paramCount.toLocaleString('en-US')])];
  // Two spaces at least after every text, so the columns stay apart however long it is.
  const widths = WIDTHS.map((width, i) => Math.max(width, ...rows.map((cells) => cells[i]!.length + 2)));
  const line = widths.reduce((a, b) => a + b, 1);
  const row = (cells: string[]) => (' ' + cells.map((c, i) => c.padEnd(widths[i]!)).join('')).trimEnd();
  const total = layers.reduce((n, l) => n + l.paramCount, 0);
  const trainable = layers.reduce((n, l) => n + l.trainableParamCount, 0);
  const lines = [`Model: "${modelName}"`, '_'.repeat(line), row(rows[0]!), '='.repeat(line)];
  rows.slice(1).forEach((cells, i) => {
    if (i > 0) lines.push('');
    lines.push(row(cells));
  });
  lines.push('='.repeat(line));
  lines.push(`Total params: ${total.toLocaleString('en-US')} (${formatBytes(total * 4)})`);
  lines.push(`Trainable params: ${trainable.toLocaleString('en-US')} (${formatBytes(trainable * 4)})`);
  lines.push(`Non-trainable params: ${(total - trainable).toLocaleString('en-US')} (${formatBytes((total - trainable) * 4)})`);
  lines.push('_'.repeat(line));
  return lines.join('\n');
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(2)} KB`;
  return `${bytes.toFixed(2)} Byte`;
}
