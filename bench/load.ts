// HTTP load on POST /api/predict against `wasmnn serve` with one worker and with one worker
// per core, for a 28x28 PNG (a canvas export) and a 300x300 photo-like JPEG. The load
// generator is Debian's wrk when installed (C, ~1% of a core at 2,000 req/s, and its Lua
// script checks every response body) and autocannon otherwise (Node: it takes a third of
// a core here, from the same two cores the server runs on; it checks status codes only).
// Reports requests/s, p50/p99 latency, errors and timeouts, the generator's own CPU, the
// server's CPU per request, and the server's RSS (all its processes) sampled through
// the run. Not a test. Run:
//   npx tsx bench/load.ts [--duration 60] [--connections 50] [--workers 1,2] [--payloads png,jpeg] [--generator wrk|autocannon] [--source]
// (bench/run.ts imports benchLoad() and formatLoadTable().)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { drawDigits, encode, paint, randomLook } from '../src/synthetic/handwriting.js';
import { Rng } from '../src/synthetic/rng.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RSS_SAMPLE_MS = 5_000;
const TIMEOUT_S = 10; // autocannon's default; wrk's (2 s) is raised to match

export type Generator = 'wrk' | 'autocannon';

export interface LoadRow {
  payload: string;
  bytes: number;
  workers: number;
  connections: number;
  seconds: number;
  generator: Generator;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** 2xx answers whose body was not the expected digit (wrk only; autocannon cannot see bodies). */
  wrongBodies: number | null;
  /** The load generator's CPU time / wall time (1 = one core busy). */
  generatorCores: number;
  /** Server CPU (every process and thread) per answered request. */
  serverCpuMsPerRequest: number;
  /**
   * CPU busy on the machine outside the server and the load generator, in cores: other
   * jobs on the shared machine (plus kernel time charged to no process).
   */
  otherCores: number;
  rssBeforeMB: number;
  rssAfterMB: number;
  /** RSS sampled every 5 s during the run. */
  rssSamplesMB: number[];
}

export interface LoadOptions {
  duration?: number;
  connections?: number;
  workers?: number[];
  generator?: Generator;
  /** Which payloads (default both): 'png' (the 28x28 drawing), 'jpeg' (the 300x300 photo). */
  payloads?: PayloadKind[];
  /** Node arguments that start a server printing 'listening on URL' (default: `wasmnn serve`, built or via tsx). */
  serverCommand?: (workers: number) => string[];
  log?: (line: string) => void;
}

export type PayloadKind = 'png' | 'jpeg';

export interface Payload {
  kind: PayloadKind;
  name: string;
  contentType: string;
  body: Buffer;
  digit: number;
}

export function payloads(): Payload[] {
  const rng = new Rng(7);
  // A canvas export: white ink on black, 28x28, like the page's small drawings.
  const small = drawDigits(rng, '3', { width: 28, height: 28, size: 20, radiusFraction: 0.07 });
  const smallPng = encode(paint(rng, small, { paper: [0, 0, 0], ink: [1, 1, 1], lighting: 0, texture: 0, noise: 0 }), 28, 28, 'png-grey');
  // A phone photo of a digit on paper: uneven light, texture, noise, JPEG.
  const photo = drawDigits(rng, '8', { width: 300, height: 300 });
  const photoJpeg = encode(paint(rng, photo, randomLook(rng, 'pen')), 300, 300, 'jpeg-75');
  return [
    { kind: 'png', name: '28x28 PNG', contentType: 'image/png', body: Buffer.from(smallPng), digit: 3 },
    { kind: 'jpeg', name: '300x300 JPEG', contentType: 'image/jpeg', body: Buffer.from(photoJpeg), digit: 8 },
  ];
}

// ---- the server ----

/** The built CLI when dist/ exists, else the sources through tsx. */
export function serverCommand(workers: number, fromSource = false): string[] {
  const args = ['serve', '--port', '0', '--host', '127.0.0.1', '--workers', String(workers)];
  const built = join(ROOT, 'dist', 'cli.js');
  return existsSync(built) && !fromSource ? [built, ...args] : ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), ...args];
}

/** A source file newer than dist/ means the benchmark would measure old code. */
function staleDist(): string | null {
  const built = join(ROOT, 'dist', 'cli.js');
  if (!existsSync(built)) return null;
  const builtAt = statSync(built).mtimeMs;
  const walk = (dir: string): string | null => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      const hit = e.isDirectory() ? walk(p) : p.endsWith('.ts') && statSync(p).mtimeMs > builtAt ? p : null;
      if (hit) return hit;
    }
    return null;
  };
  return walk(join(ROOT, 'src'));
}

export function startServer(args: string[]): Promise<{ child: ChildProcess; url: string }> {
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

export function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** A process and all its descendants (Linux /proc). */
function processTree(pid: number): number[] {
  const pids = [pid];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const c of children ? children.split(/\s+/) : []) pids.push(...processTree(Number(c)));
    }
  } catch {
    // the process is gone
  }
  return pids;
}

/** Resident memory of the server's processes, MB. */
export function treeRssMB(pid: number): number {
  let kb = 0;
  for (const p of processTree(pid)) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return Math.round(kb / 102.4) / 10;
}

/** CPU seconds (user + system, all threads) of the server's processes. */
export function treeCpuSeconds(pid: number): number {
  const tick = 100; // USER_HZ on Linux
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15 of stat)
    } catch {
      // gone
    }
  }
  return ticks / tick;
}

/** Busy CPU time of the whole machine (all cores), seconds (/proc/stat). */
function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields; // idle and iowait are not busy
  return (user! + nice! + system! + irq! + softirq! + steal!) / 100; // USER_HZ
}

// ---- load generators ----

export interface RunResult {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  wrongBodies: number | null;
  generatorCpuSeconds: number;
}

export interface Target {
  url: string;
  payload: Payload;
  connections: number;
  duration: number;
}

export function wrkAvailable(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

// Sends the body from BODY_FILE; counts non-2xx answers and 200s without the expected digit; prints one
// JSON line with the latency percentiles, error counts and the CPU time wrk itself used (os.clock).
const WRK_SCRIPT = `
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = os.getenv("BODY_TYPE")
local expected = '"digit":' .. os.getenv("DIGIT") .. ','
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init() bad_status = 0; bad_body = 0 end
function response(status, headers, body)
  if status ~= 200 then bad_status = bad_status + 1
  elseif not string.find(body, expected, 1, true) then bad_body = bad_body + 1 end
end
function done(summary, latency, requests)
  local s, b = 0, 0
  for _, t in ipairs(threads) do s = s + t:get("bad_status"); b = b + t:get("bad_body") end
  local e = summary.errors
  io.write(string.format('RESULT {"requests":%d,"p50":%.3f,"p99":%.3f,"max":%.3f,"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d,"non2xx":%d,"badBody":%d,"cpu":%.3f}\\n',
    summary.requests, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.timeout, e.status, s, b, os.clock()))
end
`;

async function runWrk(t: Target, dir: string): Promise<RunResult> {
  const bodyFile = join(dir, 'body');
  const script = join(dir, 'post.lua');
  writeFileSync(bodyFile, t.payload.body);
  writeFileSync(script, WRK_SCRIPT);
  const env = { ...process.env, BODY_FILE: bodyFile, BODY_TYPE: t.payload.contentType, DIGIT: String(t.payload.digit) };
  const args = ['-t1', `-c${t.connections}`, `-d${t.duration}s`, `--timeout`, `${TIMEOUT_S}s`, '-s', script, t.url];
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn('wrk', args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}: ${text}`))));
  });
  const m = /RESULT (\{.*\})/.exec(out);
  if (!m) throw new Error(`no result from wrk:\n${out}`);
  const r = JSON.parse(m[1]!) as Record<string, number>;
  return {
    requests: r['requests']!,
    p50Ms: r['p50']!,
    p99Ms: r['p99']!,
    maxMs: r['max']!,
    errors: r['connect']! + r['read']! + r['write']!,
    timeouts: r['timeout']!,
    non2xx: r['non2xx']!,
    wrongBodies: r['badBody']!,
    generatorCpuSeconds: r['cpu']!,
  };
}

// autocannon ships no types; this is the part used here.
interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (options: {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: Buffer;
  connections: number;
  duration: number;
  timeout: number;
}) => Promise<AutocannonResult>;

async function runAutocannon(t: Target): Promise<RunResult> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const cpu = process.cpuUsage();
  const r = await autocannon({
    url: t.url,
    method: 'POST',
    headers: { 'Content-Type': t.payload.contentType },
    body: t.payload.body,
    connections: t.connections,
    duration: t.duration,
    timeout: TIMEOUT_S,
  });
  const used = process.cpuUsage(cpu);
  return {
    requests: r.requests.total,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    errors: r.errors - r.timeouts, // autocannon counts timeouts among its errors
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    wrongBodies: null,
    generatorCpuSeconds: (used.user + used.system) / 1e6, // includes this process's RSS sampling, which is negligible
  };
}

/** One load run with `generator`; `dir` is a scratch directory for wrk's script and body. */
export function runGenerator(generator: Generator, t: Target, dir: string): Promise<RunResult> {
  return generator === 'wrk' ? runWrk(t, dir) : runAutocannon(t);
}

// ---- the benchmark ----

export async function benchLoad(options: LoadOptions = {}): Promise<LoadRow[]> {
  const duration = options.duration ?? 60;
  const connections = options.connections ?? 50;
  const workerCounts = options.workers ?? [...new Set([1, availableParallelism()])];
  const log = options.log ?? ((line: string) => console.log(line));
  const generator = options.generator ?? (wrkAvailable() ? 'wrk' : 'autocannon');
  if (!options.serverCommand) {
    const stale = staleDist();
    if (stale) log(`  warning: ${stale} is newer than dist/: run npm run build (or pass --source) to measure the current code`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'wasmnn-load-'));
  const run = (t: Target) => runGenerator(generator, t, dir);
  const rows: LoadRow[] = [];
  try {
    for (const workers of workerCounts) {
      const { child, url } = await startServer((options.serverCommand ?? serverCommand)(workers));
      try {
        for (const p of payloads().filter((q) => options.payloads?.includes(q.kind) ?? true)) {
          const target: Target = { url: `${url}/api/predict`, payload: p, connections, duration };
          const answer = await fetch(target.url, { method: 'POST', headers: { 'Content-Type': p.contentType }, body: new Uint8Array(p.body) });
          const check = (await answer.json()) as Record<string, unknown>;
          if (answer.status !== 200 || check['digit'] !== p.digit) throw new Error(`${p.name} is answered ${answer.status} ${JSON.stringify(check)}, expected digit ${p.digit}`);
          await run({ ...target, duration: Math.min(5, duration) }); // warm-up: JIT, memory plan, heap size
          log(`  ${workers} worker(s), ${p.name}: ${duration}s at ${connections} connections (${generator})...`);
          const pid = child.pid!;
          const rssBeforeMB = treeRssMB(pid);
          const cpuBefore = treeCpuSeconds(pid);
          const machineBefore = machineBusySeconds();
          const rssSamplesMB: number[] = [];
          const sampler = setInterval(() => rssSamplesMB.push(treeRssMB(pid)), RSS_SAMPLE_MS);
          const started = performance.now();
          const r = await run(target).finally(() => clearInterval(sampler));
          const seconds = (performance.now() - started) / 1000;
          const serverCpu = treeCpuSeconds(pid) - cpuBefore;
          const machineBusy = machineBusySeconds() - machineBefore;
          rows.push({
            payload: p.name,
            bytes: p.body.length,
            workers,
            connections,
            seconds: duration,
            generator,
            requestsPerSecond: Math.round(r.requests / duration),
            p50Ms: round(r.p50Ms),
            p99Ms: round(r.p99Ms),
            maxMs: round(r.maxMs),
            requests: r.requests,
            errors: r.errors,
            timeouts: r.timeouts,
            non2xx: r.non2xx,
            wrongBodies: r.wrongBodies,
            generatorCores: round(r.generatorCpuSeconds / seconds, 2),
            serverCpuMsPerRequest: round((serverCpu * 1000) / Math.max(1, r.requests), 3),
            otherCores: round(Math.max(0, machineBusy - serverCpu - r.generatorCpuSeconds) / seconds, 2),
            rssBeforeMB,
            rssAfterMB: treeRssMB(pid),
            rssSamplesMB,
          });
        }
      } finally {
        await stopServer(child);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function formatLoadTable(rows: LoadRow[]): string {
  const head = ['payload', 'workers', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'requests', 'errors', 'timeouts', 'non-2xx', 'wrong body', 'server CPU ms/req', 'generator cores', 'other cores', 'RSS before → after MB', 'RSS during run (min–max) MB'];
  const body = rows.map((r) => [
    `${r.payload} (${r.bytes} B)`,
    String(r.workers),
    String(r.requestsPerSecond),
    String(r.p50Ms),
    String(r.p99Ms),
    String(r.maxMs),
    String(r.requests),
    String(r.errors),
    String(r.timeouts),
    String(r.non2xx),
    r.wrongBodies === null ? 'n/a' : String(r.wrongBodies),
    String(r.serverCpuMsPerRequest),
    `${r.generatorCores} (${r.generator})`,
    String(r.otherCores),
    `${r.rssBeforeMB} → ${r.rssAfterMB}`,
    r.rssSamplesMB.length ? `${Math.min(...r.rssSamplesMB)}–${Math.max(...r.rssSamplesMB)}` : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const samples = rows.map((r) => `${r.payload}, ${r.workers} worker(s): ${r.rssSamplesMB.join(' ')}`);
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line), '', `RSS every ${RSS_SAMPLE_MS / 1000} s (MB):`, ...samples].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '60' },
      connections: { type: 'string', default: '50' },
      workers: { type: 'string' },
      generator: { type: 'string' },
      payloads: { type: 'string' },
      source: { type: 'boolean', default: false },
    },
  });
  if (values.generator !== undefined && values.generator !== 'wrk' && values.generator !== 'autocannon') throw new Error('--generator must be wrk or autocannon');
  const kinds = values.payloads?.split(',').map((k) => k.trim());
  if (kinds?.some((k) => k !== 'png' && k !== 'jpeg')) throw new Error('--payloads takes png, jpeg or png,jpeg');
  const rows = await benchLoad({
    duration: Number(values.duration),
    connections: Number(values.connections),
    ...(values.workers ? { workers: values.workers.split(',').map(Number) } : {}),
    ...(values.generator ? { generator: values.generator as Generator } : {}),
    ...(kinds ? { payloads: kinds as PayloadKind[] } : {}),
    ...(values.source ? { serverCommand: (w: number) => serverCommand(w, true) } : {}),
  });
  console.log(`\nPOST /api/predict on loopback, ${availableParallelism()} cores, ${rows[0]?.generator ?? ''}\n`);
  console.log(formatLoadTable(rows));
}
