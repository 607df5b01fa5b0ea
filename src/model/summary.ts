import type { Layer } from '../layers/layer.js';
import { formatShape } from '../tensor.js';

const WIDTHS = [29, 26, 10];
const LINE = 65;

/** The model as Keras' model.summary() prints it. */
export function formatSummary(modelName: string, layers: readonly Layer[]): string {
  // Each column keeps at least one space after its text, even when the text overflows it.
  const row = (cells: string[]) => ' ' + cells.map((c, i) => `${c} `.padEnd(WIDTHS[i]! - (i === 0 ? 1 : 0))).join('').trimEnd();
  const total = layers.reduce((n, l) => n + l.paramCount, 0);
  const trainable = layers.reduce((n, l) => n + l.trainableParamCount, 0);
  const lines = [`Model: "${modelName}"`, '_'.repeat(LINE), row(['Layer (type)', 'Output Shape', 'Param #']), '='.repeat(LINE)];
  layers.forEach((layer, i) => {
    lines.push(row([`${layer.name} (${layer.className})`, formatShape(layer.outputShape), layer.paramCount.toLocaleString('en-US')]));
    if (i < layers.length - 1) lines.push('');
  });
  lines.push('='.repeat(LINE));
  lines.push(`Total params: ${total.toLocaleString('en-US')} (${formatBytes(total * 4)})`);
  lines.push(`Trainable params: ${trainable.toLocaleString('en-US')} (${formatBytes(trainable * 4)})`);
  lines.push(`Non-trainable params: ${(total - trainable).toLocaleString('en-US')} (${formatBytes((total - trainable) * 4)})`);
  lines.push('_'.repeat(LINE));
  return lines.join('\n');
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(2)} KB`;
  return `${bytes.toFixed(2)} Byte`;
}
