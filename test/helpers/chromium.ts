/**
 * Real-browser tests without the demo server: Debian's chromium (playwright-core) on a blank
 * page of a local server that serves the built core (dist/) under /lib/, as a plain
 * <script type=module> would load it. `pageHeaders` are sent with the page and every file (a CSP,
 * COOP/COEP).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const DIST = new URL('../../dist/', import.meta.url).pathname;
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html' };

/** Whether the browser tests can run: chromium installed and the package built. */
export const chromiumAvailable = existsSync(CHROMIUM) && existsSync(join(DIST, 'index.js'));

export interface BrowserPage {
  page: Page;
  origin: string;
  close(): Promise<void>;
}

export async function openBlankPage(options: { pageHeaders?: Record<string, string>; acceptDownloads?: boolean } = {}): Promise<BrowserPage> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html', ...options.pageHeaders }).end('<!doctype html><title>wasmnn test</title><body></body>');
    const file = normalize(join(DIST, path.replace(/^\/lib\//, '')));
    if (!path.startsWith('/lib/') || !file.startsWith(DIST)) return void res.writeHead(404).end();
    readFile(file).then(
      // The page's headers go with every file: a cross-origin-isolated site sends COEP on its
      // worker scripts too, or the browser refuses to start the worker.
      (bytes) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...options.pageHeaders }).end(bytes),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const profile = await mkdtemp(join(tmpdir(), 'wasmnn-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      acceptDownloads: options.acceptDownloads ?? false,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (err) {
    server.close();
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(origin);
  return {
    page,
    origin,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
      server.close();
    },
  };
}
