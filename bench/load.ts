// HTTP load on POST /api/predict: autocannon on loopback against `wasmnn serve` with one worker
// and with one worker per core, for a 28x28 PNG (a canvas export) and a 300x300 photo-like JPEG.
// Reports requests/s, p50/p99 latency, errors and the server's RSS (all its processes) before and
// after each run. Not a test. Run: npx tsx bench/load.ts [--duration 60] [--connections 50]
// (bench/run.ts may import benchLoad() and store the rows).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { drawDigits, encode, paint, randomLook } from '../test/fixtures/generate.js';
import { Rng } from '../test/fixtures/rng.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

// autocannon ships no types; this is the part used here.
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
type Autocannon = (options: {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: Buffer;
  connections: number;
  duration: number;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadRow {
  payload: string;
  bytes: number;
  workers: number;
  connections: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  errors: number;
  non2xx: number;
  rssBeforeMB: number;
  rssAfterMB: number;
}

export interface LoadOptions {
  duration?: number;
  connections?: number;
  workers?: number[];
  /** Node arguments that start a server printing 'listening on URL' (default: `wasmnn serve`, built or via tsx). */
  serverCommand?: (workers: number) => string[];
  log?: (line: string) => void;
}

interface Payload {
  name: string;
  contentType: string;
  body: Buffer;
  expect: (json: Record<string, unknown>) => boolean;
}

function payloads(): Payload[] {
  const rng = new Rng(7);
  // A canvas export: white ink on black, 28x28, like the page's small drawings.
  const small = drawDigits(rng, '3', { width: 28, height: 28, size: 20, radiusFraction: 0.07 });
  const smallPng = encode(paint(rng, small, { paper: [0, 0, 0], ink: [1, 1, 1], lighting: 0, texture: 0, noise: 0 }), 28, 28, 'png-grey');
  // A phone photo of a digit on paper: uneven light, texture, noise, JPEG.
  const photo = drawDigits(rng, '8', { width: 300, height: 300 });
  const photoJpeg = encode(paint(rng, photo, randomLook(rng, 'pen')), 300, 300, 'jpeg-75');
  return [
    { name: '28x28 PNG', contentType: 'image/png', body: Buffer.from(smallPng), expect: (j) => j['digit'] === 3 },
    { name: '300x300 JPEG', contentType: 'image/jpeg', body: Buffer.from(photoJpeg), expect: (j) => j['digit'] === 8 },
  ];
}

/** The built CLI when dist/ exists, else the sources through tsx. */
function serverCommand(workers: number): string[] {
  const args = ['serve', '--port', '0', '--host', '127.0.0.1', '--workers', String(workers)];
  const built = join(ROOT, 'dist', 'cli.js');
  return existsSync(built) ? [built, ...args] : ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), ...args];
}

function startServer(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Resident memory of a process and all its descendants (Linux /proc), MB. */
function treeRssMB(pid: number): number {
  let kb = 0;
  const visit = (p: number) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const children = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim();
      for (const c of children ? children.split(/\s+/) : []) visit(Number(c));
    } catch {
      // the process is gone
    }
  };
  visit(pid);
  return Math.round(kb / 102.4) / 10;
}

export async function benchLoad(options: LoadOptions = {}): Promise<LoadRow[]> {
  const duration = options.duration ?? 60;
  const connections = options.connections ?? 50;
  const workerCounts = options.workers ?? [...new Set([1, availableParallelism()])];
  const log = options.log ?? ((line: string) => console.log(line));
  const rows: LoadRow[] = [];
  for (const workers of workerCounts) {
    const { child, url } = await startServer((options.serverCommand ?? serverCommand)(workers));
    try {
      for (const p of payloads()) {
        const target = { url: `${url}/api/predict`, method: 'POST' as const, headers: { 'Content-Type': p.contentType }, body: p.body, connections };
        const check = (await (await fetch(target.url, { method: 'POST', headers: target.headers, body: new Uint8Array(p.body) })).json()) as Record<string, unknown>;
        if (!p.expect(check)) log(`  warning: ${p.name} is read as ${JSON.stringify(check['digit'])}`);
        await autocannon({ ...target, duration: Math.min(5, duration) }); // warm-up: JIT, memory plan, heap size
        const rssBeforeMB = treeRssMB(child.pid!);
        log(`  ${workers} worker(s), ${p.name}: ${duration}s at ${connections} connections...`);
        const r = await autocannon({ ...target, duration });
        rows.push({
          payload: p.name,
          bytes: p.body.length,
          workers,
          connections,
          seconds: duration,
          requestsPerSecond: Math.round(r.requests.total / duration),
          p50Ms: r.latency.p50,
          p99Ms: r.latency.p99,
          maxMs: r.latency.max,
          requests: r.requests.total,
          errors: r.errors + r.timeouts,
          non2xx: r.non2xx,
          rssBeforeMB,
          rssAfterMB: treeRssMB(child.pid!),
        });
      }
    } finally {
      await stopServer(child);
    }
  }
  return rows;
}

export function formatLoadTable(rows: LoadRow[]): string {
  const head = ['payload', 'workers', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'requests', 'errors', 'non-2xx', 'RSS before→after MB'];
  const body = rows.map((r) => [
    `${r.payload} (${r.bytes} B)`,
    String(r.workers),
    String(r.requestsPerSecond),
    String(r.p50Ms),
    String(r.p99Ms),
    String(r.maxMs),
    String(r.requests),
    String(r.errors),
    String(r.non2xx),
    `${r.rssBeforeMB} → ${r.rssAfterMB}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { duration: { type: 'string', default: '60' }, connections: { type: 'string', default: '50' } } });
  const rows = await benchLoad({ duration: Number(values.duration), connections: Number(values.connections) });
  console.log(`\nPOST /api/predict, autocannon on loopback, ${availableParallelism()} cores\n`);
  console.log(formatLoadTable(rows));
}
