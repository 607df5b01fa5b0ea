/** multipart/form-data uploads (HTML forms, FormData) through busboy: the first file part is the image. */
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { checkDeclaredLength, tooLarge } from './body.js';
import { HttpError } from './http-error.js';

export interface Upload {
  bytes: Buffer;
  /** The form's text fields (e.g. multi=1). */
  fields: Record<string, string>;
}

/** Parts (fields and files) a form may have, and text fields among them. */
const MAX_PARTS = 40;
const MAX_FIELDS = 20;

export function readMultipart(req: IncomingMessage, limit: number): Promise<Upload> {
  checkDeclaredLength(req, limit);
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: limit, fields: MAX_FIELDS, fieldSize: 1024, parts: MAX_PARTS } });
    } catch (err) {
      // e.g. a multipart Content-Type without a boundary
      reject(new HttpError(400, 'BAD_MULTIPART', `malformed multipart request: ${(err as Error).message}`));
      return;
    }
    let file: Promise<Buffer> | null = null;
    const fields: Record<string, string> = {};
    const upload = failOnce(req, bb, reject, limit + 64 * 1024, limit); // the file plus a little form overhead
    const fail = upload.fail;
    bb.on('file', (_name, stream) => {
      if (file) {
        stream.on('error', () => undefined);
        stream.resume(); // only the first file counts
        return;
      }
      file = new Promise<Buffer>((done) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('limit', () => fail(tooLarge(limit, 'uploaded file')));
        // A form cut off inside the file errors the file stream too (busboy reports it below);
        // without a listener that 'error' would crash the process.
        stream.on('error', () => undefined);
        stream.on('end', () => done(Buffer.concat(chunks)));
      });
    });
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    // Past the parts limit busboy silently drops the rest: a file after it would read as "no file".
    // (Text fields past their limit are dropped too, which is harmless: the file still counts.)
    bb.on('partsLimit', () => fail(new HttpError(413, 'TOO_MANY_PARTS', `the multipart form has more than ${MAX_PARTS} parts; send at most ${MAX_PARTS}, the image among them`)));
    bb.on('error', (err: Error) => fail(new HttpError(400, 'BAD_MULTIPART', `malformed multipart request: ${err.message}`)));
    bb.on('close', () => {
      if (upload.failed) return;
      if (!file) {
        fail(new HttpError(400, 'NO_FILE', 'the multipart form holds no file; send the image as a file field (e.g. name="image")'));
        return;
      }
      void file.then((bytes) => {
        if (!upload.failed) resolve({ bytes, fields });
      });
    });
    req.pipe(bb);
  });
}

/**
 * The one way a busboy upload ends in error: stop feeding the parser, drain the rest of the body
 * (the 4xx closes the connection), reject with the first error and ignore later ones. Also fails
 * with 413 once more than `maxReceived` body bytes arrived (`limit` is the size the message names).
 */
export function failOnce(req: IncomingMessage, bb: busboy.Busboy, reject: (err: HttpError) => void, maxReceived: number, limit: number): { fail: (err: HttpError) => void; readonly failed: boolean } {
  const state = {
    failed: false,
    fail: (err: HttpError): void => {
      if (state.failed) return;
      state.failed = true;
      req.unpipe(bb);
      req.resume();
      reject(err);
    },
  };
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxReceived) state.fail(tooLarge(limit));
  });
  return state;
}
