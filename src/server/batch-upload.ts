/** A multipart/form-data upload of many image files (POST /api/predict/batch), bounded in count and total size. */
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { checkDeclaredLength, tooLarge } from './body.js';
import { HttpError } from './http-error.js';
import { failOnce } from './multipart.js';

export interface UploadedFile {
  /** The file name the client gave (or "file N" when it gave none). */
  name: string;
  bytes: Buffer;
}

export interface BatchLimits {
  /** Most files in one request. */
  maxFiles: number;
  /** Largest request body, bytes (all files and the form around them). */
  maxBytes: number;
}

/** Text fields accepted besides the files (they are ignored; the options are query parameters). */
const MAX_FIELDS = 20;

export function readBatchUpload(req: IncomingMessage, limits: BatchLimits): Promise<UploadedFile[]> {
  checkDeclaredLength(req, limits.maxBytes);
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: limits.maxFiles, fileSize: limits.maxBytes, fields: MAX_FIELDS, fieldSize: 1024, parts: limits.maxFiles + MAX_FIELDS } });
    } catch (err) {
      reject(new HttpError(400, 'BAD_MULTIPART', `malformed multipart request: ${(err as Error).message}`));
      return;
    }
    const files: Promise<UploadedFile>[] = [];
    const upload = failOnce(req, bb, reject, limits.maxBytes, limits.maxBytes);
    const fail = upload.fail;
    bb.on('file', (_field, stream, info) => {
      const name = info.filename || `file ${files.length + 1}`;
      files.push(
        new Promise<UploadedFile>((done) => {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('limit', () => fail(tooLarge(limits.maxBytes, `uploaded file ${name}`)));
          stream.on('error', () => undefined); // reported by busboy's own 'error' below
          stream.on('end', () => done({ name, bytes: Buffer.concat(chunks) }));
        }),
      );
    });
    bb.on('filesLimit', () => fail(new HttpError(413, 'TOO_MANY_FILES', `more than ${limits.maxFiles} files in one request; send at most ${limits.maxFiles} per batch`, { Connection: 'close' })));
    bb.on('partsLimit', () => fail(new HttpError(413, 'TOO_MANY_PARTS', `the multipart form has more than ${limits.maxFiles + MAX_FIELDS} parts`, { Connection: 'close' })));
    bb.on('error', (err: Error) => fail(new HttpError(400, 'BAD_MULTIPART', `malformed multipart request: ${err.message}`)));
    bb.on('close', () => {
      if (upload.failed) return;
      if (files.length === 0) {
        fail(new HttpError(400, 'NO_FILE', 'the multipart form holds no file; send each image as a file field (e.g. name="images")'));
        return;
      }
      void Promise.all(files).then((all) => {
        if (!upload.failed) resolve(all);
      });
    });
    req.pipe(bb);
  });
}
