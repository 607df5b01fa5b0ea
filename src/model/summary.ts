import type { Layer } from '../layers/layer.js';
import { formatShape } from '../tensor.js';

/** Keras' column widths (the first includes the row's leading space); a column widens for longer text. */
const WIDTHS = [29, 26, 10];
/** Spaces kept after a column's text, so the columns stay apart however long it is. */
const GAP = 2;

/** The model as Keras' model.summary() prints it. */
export function formatSummary(modelName: string, layers: readonly Layer[]): string {
  const header = ['Layer (type)', 'Output Shape', 'Param #'];
  const body = layers.map((layer) => [`${layer.name} (${layer.className})`, formatShape(layer.outputShape), layer.paramCount.toLocaleString('en-US')]);
  const widths = WIDTHS.map((width, i) => Math.max(width, ...[header, ...body].map((cells) => cells[i]!.length + GAP + (i === 0 ? 1 : 0))));
  const line = widths.reduce((a, b) => a + b, 0);
  const row = (cells: string[]) => (' ' + cells.map((c, i) => c.padEnd(widths[i]! - (i === 0 ? 1 : 0))).join('')).trimEnd();
  const total = layers.reduce((n, l) => n + l.paramCount, 0);
  const trainable = layers.reduce((n, l) => n + l.trainableParamCount, 0);
  const lines = [`Model: "${modelName}"`, '_'.repeat(line), row(header), '='.repeat(line)];
  body.forEach((cells, i) => {
    lines.push(row(cells));
    if (i < body.length - 1) lines.push('');
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
