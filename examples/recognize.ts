/**
 * The README's recognizer: read the digits in an image file with the shipped model (Node).
 *
 *   npx tsx examples/recognize.ts photo.jpg
 */
import { readFile } from 'node:fs/promises';
import { loadPretrained } from 'wasmnn';
import { modelClassifier, predictImage } from 'wasmnn/image';

const file = process.argv[2];
if (!file) {
  console.error('usage: npx tsx examples/recognize.ts IMAGE.png|jpg  (a photo or drawing of a digit or a number)');
  process.exit(1);
}
const classify = modelClassifier(await loadPretrained());
const result = await predictImage(await readFile(file), classify, { multi: true });
// With multi, the answer reads a line of digits: '?' marks a mark that is not a digit.
if ('digits' in result && result.isDigit) console.log(`digits ${result.digits}, lowest confidence ${result.confidence}`);
else console.log(`no digits found: ${result.reason ?? 'nothing digit-like'}`);
