// model.summary(): Keras' 65-column layout for ordinary models, and columns that widen (rules
// too) when a layer's name, type or shape is longer than Keras' fixed widths, so every column
// starts where its header does.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { layers, Sequential } from '../src/index.js';

function summaryLines(model: Sequential): string[] {
  let text = '';
  model.summary((t) => (text = t));
  return text.split('\n');
}

/** Asserts that every layer row's cells start at the header's column positions, two spaces apart at least. */
function assertAligned(lines: string[], rows: [string, string, string][]): void {
  const header = lines[2]!;
  const starts = ['Layer (type)', 'Output Shape', 'Param #'].map((h) => header.indexOf(h));
  for (const cells of rows) {
    const line = lines.find((l) => l.startsWith(` ${cells[0]} `));
    assert.ok(line, `no row for ${cells[0]} in:\n${lines.join('\n')}`);
    cells.forEach((cell, i) => assert.is(line.indexOf(cell, i === 0 ? 0 : starts[i]! - 1), starts[i], `${cells[0]}: '${cell}' starts at the header's column ${starts[i]}\n${lines.join('\n')}`));
    for (let i = 0; i < 2; i++) assert.ok(starts[i]! + cells[i]!.length + 2 <= starts[i + 1]!, `${cells[i]}: two spaces before the next column`);
  }
  const width = Math.max(...lines.filter((l) => !/^(_+|=+)$/.test(l) && !l.startsWith('Model:') && !/params:/.test(l)).map((l) => l.length));
  for (const rule of lines.filter((l) => /^(_+|=+)$/.test(l))) assert.ok(rule.length >= width, `rule of ${rule.length} under rows of ${width}`);
}

test("short names keep Keras' 65-column layout", () => {
  const model = new Sequential([layers.conv2d({ filters: 8, kernelSize: 3, inputShape: [28, 28, 1] }), layers.flatten(), layers.dense({ units: 10 })]);
  const lines = summaryLines(model);
  assert.is(lines[1], '_'.repeat(65));
  assert.is(lines[2], ' Layer (type)                Output Shape              Param #');
  assert.is(lines[4], ' conv2d (Conv2D)             (None, 26, 26, 8)         80');
  assertAligned(lines, [['conv2d (Conv2D)', '(None, 26, 26, 8)', '80'], ['dense (Dense)', '(None, 10)', '54,090']]);
});

test('long layer names and types widen the first column, and the rules with it', () => {
  const model = new Sequential([
    layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [12, 12, 1], name: 'a_rather_long_convolution_layer_name' }),
    layers.batchNormalization(),
    layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }),
    layers.globalAveragePooling2d(),
    layers.dense({ units: 3 }),
  ]);
  const lines = summaryLines(model);
  assertAligned(lines, [
    ['a_rather_long_convolution_layer_name (Conv2D)', '(None, 10, 10, 4)', '40'],
    ['batch_normalization (BatchNormalization)', '(None, 10, 10, 4)', '16'],
    ['depthwise_conv2d (DepthwiseConv2D)', '(None, 8, 8, 8)', '80'],
    ['global_average_pooling2d (GlobalAveragePooling2D)', '(None, 8)', '0'],
    ['dense (Dense)', '(None, 3)', '27'],
  ]);
  assert.ok(lines[1]!.length > 65);
});

test('a long output shape widens the second column', () => {
  const model = new Sequential([layers.reshape({ targetShape: [1, 2, 3, 4, 5, 6, 7, 8, 9], inputShape: [362880] }), layers.flatten(), layers.dense({ units: 2, name: 'out' })]);
  const lines = summaryLines(model);
  assertAligned(lines, [['reshape (Reshape)', '(None, 1, 2, 3, 4, 5, 6, 7, 8, 9)', '0'], ['out (Dense)', '(None, 2)', '725,762']]);
});

test.run();
