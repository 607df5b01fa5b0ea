/** The request router: every answer is either a file, the page, or JSON (errors included). */
import type { DecodePool } from './decode-pool.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Classify } from '../image/node.js';
import { BATCH_PATH, predictBatch } from './batch.js';
import { readBody } from './body.js';
import { HttpError, sendError, sendJson } from './http-error.js';
import { readMultipart } from './multipart.js';
import { predictImage } from '../recognizer/prediction.js';
import { isVersioned, ISOLATION, pageDocument, versionedFile } from './page-assets.js';
import { IMMUTABLE, REVALIDATE, sendStatic } from './send-static.js';
import { libraryFiles, pageFiles, type ModelFiles } from './static-files.js';
import type { Readiness } from './readiness.js';
import type { WorkQueue } from './work-queue.js';

export interface Limits {
  /** Largest request body (raw image or whole multipart form), bytes. */
  maxBodyBytes: number;
  /** Largest image by its header's width × height, refused before decoding. */
  maxPixels: number;
}

/** The model a process serves, once loaded. */
export interface ServedModel extends ModelFiles {
  classify: Classify;
  dir: string;
  params: number;
  backend: string;
}

/** GET /metrics's answer. */
export interface MetricsText {
  contentType: string;
  text: string;
}

export interface AppContext {
  /** Null until the model is loaded: the server listens first, so probes see it loading. */
  model: ServedModel | null;
  readiness: Readiness;
  /** Where decoding and preprocessing wait their turn (work-queue.ts). */
  work: WorkQueue;
  /** Decodes images, large ones on a thread of their own (decode-pool.ts). */
  decoder: DecodePool;
  /** The metrics this process (or, in a cluster, every worker) reports; null when they are off. */
  metrics: (() => Promise<MetricsText>) | null;
  limits: Limits;
  log: (line: string) => void;
}

/** Raw-body content types; the format itself is always taken from the magic bytes. */
const RAW_TYPES = new Set(['', 'image/png', 'image/jpeg', 'image/jpg', 'image/pjpeg', 'application/octet-stream']);
const READ = ['GET', 'HEAD'];

export function createHandler(ctx: AppContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(ctx, req, res).catch((err: unknown) => sendError(res, err, ctx.log));
  };
}

const PREDICT = '/api/predict';

async function route(ctx: AppContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = req.url ?? '/';
  const method = req.method ?? 'GET';
  // The hot path skips WHATWG URL parsing (a few µs per request); every other path is normalised by it.
  if (raw.startsWith(PREDICT) && (raw.length === PREDICT.length || raw[PREDICT.length] === '?')) {
    allow(method, ['POST'], PREDICT);
    const query = raw.length > PREDICT.length + 1 ? new URLSearchParams(raw.slice(PREDICT.length + 1)) : null;
    return predict(ctx, servedModel(ctx), req, res, query);
  }
  const url = new URL(raw, 'http://localhost');
  const path = url.pathname;
  if (path === PREDICT) {
    allow(method, ['POST'], path);
    return predict(ctx, servedModel(ctx), req, res, url.searchParams);
  }
  if (path === BATCH_PATH) { allow(method, ['POST'], path); return predictBatch(ctx, servedModel(ctx), req, res, flag(url.searchParams.get('multi'), 'multi')); }
  if (path === '/healthz') {
    allow(method, READ, path);
    return sendJson(res, 200, {
      status: 'ok',
      pid: process.pid,
      uptimeSeconds: Math.round(process.uptime()),
      rssBytes: process.memoryUsage.rss(),
      model: ctx.model ? { params: ctx.model.params, backend: ctx.model.backend } : null,
    });
  }
  if (path === '/readyz') {
    allow(method, READ, path);
    const reason = ctx.readiness.reason;
    if (reason === null) return sendJson(res, 200, { status: 'ready' });
    return sendJson(res, 503, { status: 'not ready', reason }, { 'Retry-After': '1' });
  }
  if (path === '/metrics') {
    allow(method, READ, path);
    if (!ctx.metrics) throw new HttpError(404, 'NOT_FOUND', 'metrics are off; start the server without --no-metrics');
    const { contentType, text } = await ctx.metrics();
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    return void res.end(text);
  }
  if (path === '/' || path === '/index.html') {
    allow(method, READ, path);
    return sendStatic(req, res, await pageDocument(), REVALIDATE, { ...ISOLATION, 'Content-Security-Policy': CSP });
  }
  if (isVersioned(path)) {
    allow(method, READ, path);
    return sendStatic(req, res, await versionedFile(path), IMMUTABLE, ISOLATION);
  }
  if (path.startsWith('/app/')) {
    allow(method, READ, path);
    return sendStatic(req, res, await pageFiles.get(path.slice('/app/'.length)), REVALIDATE, ISOLATION);
  }
  if (path.startsWith('/lib/')) {
    allow(method, READ, path);
    return sendStatic(req, res, await libraryFiles.get(path.slice('/lib/'.length)), REVALIDATE, ISOLATION);
  }
  if (path.startsWith('/model/')) {
    allow(method, READ, path);
    const file = servedModel(ctx).files.get(path.slice('/model/'.length));
    if (!file) throw new HttpError(404, 'NOT_FOUND', `no model file ${path}`);
    return sendStatic(req, res, file, REVALIDATE, ISOLATION);
  }
  throw new HttpError(404, 'NOT_FOUND', `no route for ${method} ${path}; try GET /, POST /api/predict, GET /healthz, /readyz or /metrics`);
}

/** The loaded model, or a 503 the client may retry while it loads. */
function servedModel(ctx: AppContext): ServedModel {
  if (ctx.model) return ctx.model;
  throw new HttpError(503, 'NOT_READY', 'the model is still loading; retry shortly (GET /readyz answers 200 once it is loaded)', { 'Retry-After': '1' });
}

async function predict(ctx: AppContext, model: ServedModel, req: IncomingMessage, res: ServerResponse, query: URLSearchParams | null): Promise<void> {
  let multi = flag(query?.get('multi') ?? null, 'multi');
  const header = req.headers['content-type'] ?? '';
  const type = RAW_TYPES.has(header) ? header : header.split(';')[0]!.trim().toLowerCase();
  let bytes: Uint8Array;
  if (type === 'multipart/form-data') {
    const upload = await readMultipart(req, ctx.limits.maxBodyBytes);
    bytes = upload.bytes;
    multi ||= flag(upload.fields['multi'] ?? null, 'multi');
  } else if (RAW_TYPES.has(type)) {
    bytes = await readBody(req, ctx.limits.maxBodyBytes);
  } else {
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type '${type}' is not accepted: send a PNG or JPEG as the raw body (image/png, image/jpeg) or as a multipart/form-data file`,
    );
  }
  const maxPixels = ctx.limits.maxPixels;
  const options = { multi, maxPixels, decode: (b: Uint8Array) => ctx.decoder.decode(b, maxPixels) };
  sendJson(res, 200, await ctx.work.run(() => predictImage(bytes, model.classify, options)));
}

function flag(value: string | null, name: string): boolean {
  if (value === null || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new HttpError(400, 'BAD_PARAMETER', `${name} must be 1 or 0, got '${value}'`);
}

function allow(method: string, methods: string[], path: string): void {
  if (!methods.includes(method)) {
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use ${methods.join(' or ')}`, { Allow: methods.join(', ') });
  }
}

// The page loads only its own scripts; WebAssembly compilation needs 'wasm-unsafe-eval'.
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; connect-src 'self'";
