/**
 * The decode thread's side (see decode-pool.ts): decodes each image it is sent and, for an image
 * larger than the analysis works at, also computes its working grey (the pass over every pixel
 * that would otherwise run on the event loop), then transfers the result back.
 */
import { parentPort } from 'node:worker_threads';
import { workingGrey } from '../image/analyze.js';
import { decodeImage } from '../image/decode.js';
import { ImageDecodeError } from '../image/errors.js';
import type { DecodeReply, DecodeRequest } from './decode-pool.js';

parentPort!.on('message', ({ id, bytes, maxPixels }: DecodeRequest) => {
  try {
    const image = decodeImage(bytes, { maxPixels });
    const grey = workingGrey(image);
    if (grey.width < image.width || grey.height < image.height) {
      const reply: DecodeReply = { id, width: image.width, height: image.height, grey: { width: grey.width, height: grey.height, data: grey.data } };
      parentPort!.postMessage(reply, [grey.data.buffer as ArrayBuffer]); // toGreyScaled returns a fresh array
    } else {
      const data = new Uint8ClampedArray(image.data); // its own buffer, to transfer
      const reply: DecodeReply = { id, width: image.width, height: image.height, data };
      parentPort!.postMessage(reply, [data.buffer]);
    }
  } catch (err) {
    const reply: DecodeReply =
      err instanceof ImageDecodeError
        ? { id, error: { code: err.code, message: err.message } }
        : { id, error: { code: 'CORRUPT', message: `cannot decode the image: ${err instanceof Error ? err.message : String(err)}` } };
    parentPort!.postMessage(reply);
  }
});
