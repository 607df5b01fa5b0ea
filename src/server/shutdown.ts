/** Graceful stop: refuse new connections, let requests in flight finish, then force the rest. */
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';

/** How long connections already accepted may still deliver a request before idle ones are closed. */
const GRACE_MS = 1_000;

export function closeGracefully(server: Server, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    // Answers given from now on close their connection. Prepended, so it runs before the route
    // handler: a handler that answers synchronously (/healthz, static files) has sent its headers
    // by the time a listener added after it runs, and setHeader would throw there.
    server.prependListener('request', (_req, res) => {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    });
    // Stop listening with net.Server's close: http.Server's also drops at once every connection
    // without a parsed request, including ones whose request is still in the socket buffer.
    NetServer.prototype.close.call(server, () => {
      clearTimeout(grace);
      clearTimeout(force);
      resolve();
    });
    // Then keep-alive connections with nothing in flight would hold the close open until they time out.
    const grace = setTimeout(() => server.closeIdleConnections(), GRACE_MS);
    const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
    grace.unref();
    force.unref();
  });
}

/**
 * Runs `stop` on the first SIGTERM or SIGINT, then exits. With `forceOnRepeat`, a second
 * signal exits at once (a second Ctrl-C); cluster workers leave it off because a Ctrl-C
 * reaches them from the terminal and again from the primary.
 */
export function onShutdownSignal(stop: (signal: NodeJS.Signals) => Promise<void>, forceOnRepeat = true): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      if (forceOnRepeat) process.exit(1);
      return;
    }
    stopping = true;
    stop(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`wasmnn serve: shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
