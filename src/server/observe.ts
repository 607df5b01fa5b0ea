/**
 * What happens around every request whatever its route: it gets a request id (the client's
 * X-Request-Id when it sends a sane one, else a new UUID; echoed in the answer), and when the
 * answer is done — or the client went away first — it is counted in /metrics and written as
 * one JSON access-log line if asked.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteLabel, ServerMetrics } from './metrics.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface ObserveOptions {
  metrics: ServerMetrics | null;
  /** Receives one JSON line per request; null: no access log. */
  accessLog: ((line: string) => void) | null;
  /** Cluster worker id (0 for a single process). */
  workerId: number;
}

/** One access-log line, as JSON. */
export interface AccessLogEntry {
  time: string;
  method: string;
  route: RouteLabel;
  /** The path without its query string (which may hold user data). */
  path: string;
  /** 499: the client closed the connection before the answer was complete. */
  status: number;
  /** The answer's Content-Length. */
  bytes: number;
  durationMs: number;
  worker: number;
  requestId: string;
}

/** Status recorded when the client left before the whole answer was sent (nginx's convention). */
export const CLIENT_CLOSED = 499;

/** Ids from trace systems and proxies: UUIDs, hex trace ids, base64-ish tokens. Anything else is replaced. */
const SANE_REQUEST_ID = /^[\w.:/+=@-]{1,128}$/;

export function observed(handler: Handler, { metrics, accessLog, workerId }: ObserveOptions): Handler {
  return (req, res) => {
    const start = performance.now();
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    res.once('close', () => {
      const seconds = (performance.now() - start) / 1000;
      const status = res.writableFinished ? res.statusCode : CLIENT_CLOSED;
      const url = req.url ?? '/';
      const route = routeOf(url);
      const method = req.method ?? 'GET';
      metrics?.observe(route, method, status, seconds);
      if (accessLog) {
        const query = url.indexOf('?');
        const entry: AccessLogEntry = {
          time: new Date().toISOString(),
          method,
          route,
          path: (query < 0 ? url : url.slice(0, query)).slice(0, 256),
          status,
          bytes: Number(res.getHeader('content-length') ?? 0),
          durationMs: Math.round(seconds * 1e6) / 1e3,
          worker: workerId,
          requestId,
        };
        accessLog(JSON.stringify(entry));
      }
    });
    handler(req, res);
  };
}

/** The route label of a request target; unknown paths are all 'other'. */
export function routeOf(url: string): RouteLabel {
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  switch (path) {
    case '/api/predict':
    case '/healthz':
    case '/readyz':
    case '/metrics':
      return path;
    case '/':
    case '/index.html':
      return '/';
  }
  // The page's versioned assets (/v/<build>/app/…, /v/<build>/lib/…) count with their unversioned routes.
  const build = path.startsWith('/v/') ? path.indexOf('/', 3) : -1;
  const asset = build > 0 ? path.slice(build) : path;
  if (asset.startsWith('/app/')) return '/app/*';
  if (asset.startsWith('/lib/')) return '/lib/*';
  if (path.startsWith('/model/')) return '/model/*';
  return 'other';
}
