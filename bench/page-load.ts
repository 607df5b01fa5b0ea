// What the demo page costs to load, in real Chromium against `wasmnn serve` (the built
// package): bytes on the wire and bytes decoded for a first visit, the same for a reload
// (immutable files from the cache, the rest revalidated: 304), and the time from navigation to the in-browser model
// being ready. One run, well under a minute.
//
//   npx tsx bench/page-load.ts
import { openBrowser, startPageServer, waitReady } from '../test/helpers/page-server.js';

interface Load {
  requests: number;
  /** Bytes received, headers included (CDP encodedDataLength). */
  wire: number;
  /** Response bodies after decompression. */
  decoded: number;
  /** Answered by the browser's cache without asking the server (immutable URLs). */
  fromCache: number;
  readyMs: number;
}

const server = await startPageServer();
const browser = await openBrowser({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
try {
  const { page, context } = browser;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  let current: Load;
  const fresh = (): Load => ({ requests: 0, wire: 0, decoded: 0, fromCache: 0, readyMs: 0 });
  cdp.on('Network.responseReceived', () => void current.requests++);
  cdp.on('Network.requestServedFromCache', () => void current.fromCache++);
  cdp.on('Network.dataReceived', (e) => void (current.decoded += e.dataLength));
  cdp.on('Network.loadingFinished', (e) => void (current.wire += e.encodedDataLength));
  const load = async (go: () => Promise<unknown>): Promise<Load> => {
    current = fresh();
    const t0 = performance.now();
    await go();
    await waitReady(page);
    current.readyMs = performance.now() - t0;
    await page.waitForTimeout(300); // late loadingFinished events
    return current;
  };
  const first = await load(() => page.goto(server.url));
  const reload = await load(() => page.reload());
  const kb = (n: number): string => `${(n / 1024).toFixed(0)} KB`;
  console.log('| load | requests | on the wire | decoded bodies | from cache | model ready |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, l] of [['first visit', first], ['reload', reload]] as const) {
    console.log(`| ${name} | ${l.requests} | ${kb(l.wire)} | ${kb(l.decoded)} | ${l.fromCache} | ${l.readyMs.toFixed(0)} ms |`);
  }
} finally {
  await browser.close();
  server.close();
}
