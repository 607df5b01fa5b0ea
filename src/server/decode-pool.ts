/**
 * Decoding that could take long runs on a thread of its own, so one request never holds the
 * event loop (and /healthz, and every other connection) for the seconds a large or unusual PNG
 * or JPEG can take in pngjs / jpeg-js. Small images — the 28x28 canvases that make up most
 * traffic — decode inline, where a thread hop would cost more than the decode.
 */
import type { Worker } from 'node:worker_threads';
import { startNodeWorker } from '../kernels/wasm/threads-node.js';
import { ImageDecodeError, type ImageDecodeErrorCode } from '../image/errors.js';
import { readImageHeader } from '../image/header.js';
import { decodeImage } from '../image/decode.js';
import type { GreyImage, PipelineImage } from '../image/types.js';

/**
 * Images whose decoded samples would exceed this many bytes decode on the thread: 512x512 8-bit
 * RGBA. (A 300x300 phone-photo JPEG or a canvas PNG stays inline; a 16-bit PNG counts double.)
 */
export const INLINE_MAX_SAMPLE_BYTES = 512 * 512 * 4;

export interface DecodeRequest {
  id: number;
  bytes: Uint8Array;
  maxPixels: number;
}

export type DecodeReply =
  | { id: number; width: number; height: number; data: Uint8ClampedArray }
  | { id: number; width: number; height: number; grey: GreyImage }
  | { id: number; error: { code: ImageDecodeErrorCode; message: string } };

/**
 * Decodes images, the large ones off the event loop — and for those it also leaves the working
 * grey to the thread (ScaledGreyImage), the other pass over every pixel. One thread per server
 * process, started on first use.
 */
export class DecodePool {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (image: PipelineImage) => void; reject: (err: unknown) => void }>();

  /** Throws (or rejects with) ImageDecodeError for bytes that are not a valid image, as decodeImage does. */
  async decode(bytes: Uint8Array, maxPixels: number): Promise<PipelineImage> {
    const header = readImageHeader(bytes, maxPixels); // cheap, and names bad input at once
    if (decodedSampleBytes(bytes, header.width, header.height) <= INLINE_MAX_SAMPLE_BYTES) return decodeImage(bytes, { maxPixels });
    const id = this.nextId++;
    const copy = bytes.slice(); // its own buffer, to transfer
    return new Promise<PipelineImage>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: DecodeRequest = { id, bytes: copy, maxPixels };
      this.thread().postMessage(request, [copy.buffer]);
    });
  }

  /** Images on the thread, not yet decoded. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Stops the thread; decodes still pending are rejected. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = startDecodeWorker();
    worker.unref(); // an idle decode thread must not keep the process alive
    worker.on('message', (reply: DecodeReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if ('error' in reply) p.reject(new ImageDecodeError(reply.error.code, reply.error.message));
      else if ('grey' in reply) p.resolve({ width: reply.width, height: reply.height, grey: reply.grey });
      else p.resolve({ width: reply.width, height: reply.height, data: reply.data });
    });
    const fail = (err: unknown): void => {
      // A crashed thread fails what it held; the next large image starts a new one.
      if (this.worker === worker) this.worker = null;
      for (const p of this.pending.values()) p.reject(new Error(`the image decoding thread stopped: ${err instanceof Error ? err.message : String(err)}`));
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    this.worker = worker;
    return worker;
  }
}

/** Bytes of samples a decode produces before RGBA conversion: PNG by its channels and bit depth (IHDR), JPEG as RGBA. */
function decodedSampleBytes(bytes: Uint8Array, width: number, height: number): number {
  const isPng = bytes[0] === 0x89;
  if (!isPng) return width * height * 4;
  const channels = [1, 0, 3, 1, 2, 0, 4][bytes[25]!] ?? 4;
  return Math.ceil((width * channels * bytes[24]!) / 8) * height;
}

function startDecodeWorker(): Worker {
  return startNodeWorker(import.meta.url, './decode-worker');
}
