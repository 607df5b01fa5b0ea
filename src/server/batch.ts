/**
 * POST /api/predict/batch: many images in one multipart/form-data request, answered with one
 * result per file in the order sent: the prediction of POST /api/predict, or the file's own
 * error (a bad file does not fail the others). The request as a whole gets a 4xx JSON error
 * when it is not multipart, holds no file, or passes the count or size limit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ImageDecodeError } from '../image/node.js';
import { predictImage } from '../recognizer/prediction.js';
import { readBatchUpload } from './batch-upload.js';
import { HttpError, sendJson } from './http-error.js';
import type { AppContext, ServedModel } from './routes.js';

export const BATCH_PATH = '/api/predict/batch';
/** Most files in one batch request. */
export const MAX_BATCH_FILES = 100;

export type BatchResult = ({ file: string } & Awaited<ReturnType<typeof predictImage>>) | { file: string; error: string; code: string; status: number };

export async function predictBatch(ctx: AppContext, model: ServedModel, req: IncomingMessage, res: ServerResponse, multi: boolean): Promise<void> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'multipart/form-data') {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type '${type}' is not accepted: send the images as files of a multipart/form-data form`);
  }
  const files = await readBatchUpload(req, { maxFiles: MAX_BATCH_FILES, maxBytes: ctx.limits.maxBodyBytes });
  const maxPixels = ctx.limits.maxPixels;
  const options = { multi, maxPixels, decode: (b: Uint8Array) => ctx.decoder.decode(b, maxPixels) };
  const results = await Promise.all(
    files.map(async ({ name, bytes }): Promise<BatchResult> => {
      try {
        return { file: name, ...(await ctx.work.run(() => predictImage(bytes, model.classify, options))) };
      } catch (err) {
        if (err instanceof ImageDecodeError) return { file: name, error: err.message, code: err.code, status: err.httpStatus };
        throw err; // not the file's fault: a 500 for the request
      }
    }),
  );
  sendJson(res, 200, { count: results.length, failed: results.filter((r) => 'error' in r).length, results });
}
