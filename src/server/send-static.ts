/**
 * Answers a GET/HEAD for an EncodedFile: picks brotli or gzip from Accept-Encoding, answers 304
 * when If-None-Match names the version the client already holds, and sends the caller's caching
 * and isolation headers either way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodedTag, type EncodedFile, type Encoding } from './encoded-file.js';

/** Versioned URLs never change content: a browser may keep them a year without asking again. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Unversioned URLs: keep a copy but ask (a cheap 304) before each use. */
export const REVALIDATE = 'no-cache';

export function sendStatic(req: IncomingMessage, res: ServerResponse, file: EncodedFile, cacheControl: string, headers: Record<string, string> = {}): void {
  const encoding = chooseEncoding(req.headers['accept-encoding'], file);
  const etag = encodedTag(file, encoding);
  const common: Record<string, string> = {
    ETag: etag,
    'Cache-Control': cacheControl,
    // Caches must keep one copy per encoding, or a brotli body reaches a client that asked for none.
    ...(Object.keys(file.encodings).length > 0 ? { Vary: 'Accept-Encoding' } : {}),
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  };
  if (matches(req.headers['if-none-match'], etag)) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  const body = encoding === null ? file.body : file.encodings[encoding]!;
  res.writeHead(200, {
    'Content-Type': file.type,
    'Content-Length': body.length,
    ...(encoding === null ? {} : { 'Content-Encoding': encoding }),
    ...common,
  });
  res.end(body);
}

/** Brotli, then gzip, among the encodings the file has and the client accepts (q > 0). */
export function chooseEncoding(header: string | undefined, file: EncodedFile): Encoding | null {
  if (!header) return null;
  const accepted = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name!.trim(), q === undefined ? 1 : Number(q));
  }
  const ok = (name: Encoding): boolean => file.encodings[name] !== undefined && (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return null;
}

/** If-None-Match by weak comparison (RFC 9110 13.1.2): a W/ prefix is ignored, '*' matches anything. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}
