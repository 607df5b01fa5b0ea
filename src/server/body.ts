/** Reads a request body into memory, refusing it as soon as it passes the byte limit. */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

export function tooLarge(limit: number, what = 'request body'): HttpError {
  // The rest of the body is not read, so the connection cannot be reused.
  return new HttpError(413, 'BODY_TOO_LARGE', `${what} is larger than the ${limit}-byte limit`, { Connection: 'close' });
}

/** Checks a declared Content-Length before anything is read. */
export function checkDeclaredLength(req: IncomingMessage, limit: number): void {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  checkDeclaredLength(req, limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}
