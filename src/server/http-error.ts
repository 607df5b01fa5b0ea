/** JSON responses and the errors a request handler throws to answer with a 4xx. */
import type { ServerResponse } from 'node:http';
import { ImageDecodeError } from '../image/node.js';

/** A client error: answered as `{ error, code, status }` with this status, never logged as a server fault. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: string;
  code: string;
  status: number;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Answers any thrown value: HttpError and ImageDecodeError as their 4xx, anything else as 500. */
export function sendError(res: ServerResponse, err: unknown, log: (line: string) => void): void {
  let status = 500;
  let code = 'INTERNAL';
  let message = 'internal server error';
  let headers: Record<string, string> = {};
  if (err instanceof HttpError) {
    ({ status, code, message, headers } = err);
  } else if (err instanceof ImageDecodeError) {
    ({ httpStatus: status, code, message } = err);
  } else {
    log(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body: ErrorBody = { error: message, code, status };
  sendJson(res, status, body, headers);
}
