/** The decode thread's side (see decode-pool.ts): decodes each image it is sent, transfers the pixels back. */
import { parentPort } from 'node:worker_threads';
import { decodeImage } from '../image/decode.js';
import { ImageDecodeError } from '../image/errors.js';
import type { DecodeReply, DecodeRequest } from './decode-pool.js';

parentPort!.on('message', ({ id, bytes, maxPixels }: DecodeRequest) => {
  let reply: DecodeReply;
  try {
    const image = decodeImage(bytes, { maxPixels });
    const data = new Uint8ClampedArray(image.data); // its own buffer, to transfer
    reply = { id, width: image.width, height: image.height, data };
    parentPort!.postMessage(reply, [data.buffer]);
  } catch (err) {
    reply = err instanceof ImageDecodeError ? { id, error: { code: err.code, message: err.message } } : { id, error: { code: 'CORRUPT', message: `cannot decode the image: ${String((err as Error).message ?? err)}` } };
    parentPort!.postMessage(reply);
  }
});
