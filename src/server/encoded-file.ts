/**
 * A static file made ready to serve many times: its ETag and its gzip and brotli encodings are
 * computed once (on the libuv thread pool, so the event loop keeps answering) and then reused by
 * every request, so a reload costs a 304 and a first load sends compressed bytes.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export type Encoding = 'br' | 'gzip';

export interface EncodedFile {
  /** The file as stored (identity encoding). */
  body: Buffer;
  type: string;
  /** Strong ETag of the identity body; each encoding's tag derives from it (encodedTag). */
  etag: string;
  /** Only the encodings that came out smaller than the body. */
  encodings: Partial<Record<Encoding, Buffer>>;
}

/** Text and WebAssembly shrink several-fold; float32 weight shards barely shrink, so they are sent as they are. */
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|wasm))/;
/** Below this, the headers weigh more than what compression saves. */
const MIN_COMPRESS_BYTES = 512;

export async function encodeFile(body: Buffer, type: string): Promise<EncodedFile> {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const encodings: Partial<Record<Encoding, Buffer>> = {};
  if (COMPRESSIBLE.test(type) && body.length >= MIN_COMPRESS_BYTES) {
    const [br, gz] = await Promise.all([
      brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
      gzipAsync(body, { level: constants.Z_BEST_COMPRESSION }),
    ]);
    if (br.length < body.length) encodings.br = br;
    if (gz.length < body.length) encodings.gzip = gz;
  }
  return { body, type, etag, encodings };
}

/** The ETag of one encoding of a file: a different byte sequence needs a different strong tag. */
export function encodedTag(file: EncodedFile, encoding: Encoding | null): string {
  return encoding === null ? file.etag : `${file.etag.slice(0, -1)}-${encoding === 'br' ? 'br' : 'gz'}"`;
}
