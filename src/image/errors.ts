export type ImageDecodeErrorCode =
  | 'EMPTY' // no bytes at all
  | 'UNKNOWN_FORMAT' // neither PNG nor JPEG magic bytes
  | 'TRUNCATED' // the file ends before its last chunk/marker
  | 'CORRUPT' // structure or compressed data is invalid
  | 'UNSUPPORTED' // a valid file using a feature the decoders lack (e.g. arithmetic-coded JPEG)
  | 'TOO_LARGE'; // header dimensions exceed the pixel limit

const HTTP_STATUS: Record<ImageDecodeErrorCode, number> = {
  EMPTY: 400,
  UNKNOWN_FORMAT: 415,
  TRUNCATED: 400,
  CORRUPT: 400,
  UNSUPPORTED: 415,
  TOO_LARGE: 413,
};

/** Anything wrong with the input bytes; a server answers it with `httpStatus` (4xx), never 500. */
export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';
  readonly code: ImageDecodeErrorCode;
  readonly httpStatus: number;

  constructor(code: ImageDecodeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.httpStatus = HTTP_STATUS[code];
  }
}
