import type { Backend, BackendName } from './backend.js';
import { createWasmBackend, WasmBackend, wasmSupported, type SpawnWorker } from './wasm/index.js';
import { browserThreads, spawnBrowserWorker } from './wasm/threads-browser.js';

export type { Backend, BackendName } from './backend.js';

export interface BackendOptions {
  /** WASM only: 1, or 2 = the main thread plus one GEMM worker (needs a worker spawner; Node registers one). */
  threads?: number;
}

/**
 * How this environment starts worker threads, and how many threads to use by default. Browsers
 * get module Workers out of the box (2 threads in cross-origin-isolated pages, else 1); the
 * Node entry point registers worker_threads.
 */
let threading: { spawnWorker: SpawnWorker; defaultThreads: number } | null = browserThreads() > 0 ? { spawnWorker: spawnBrowserWorker, defaultThreads: browserThreads() } : null;

/** Lets the Node entry point (or an app) give the WASM backend worker threads. */
export function registerWorkerSpawner(spawnWorker: SpawnWorker, defaultThreads: number): void {
  threading = { spawnWorker, defaultThreads };
}

function env(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

function envThreads(): number | undefined {
  const v = env('WASMNN_THREADS');
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`WASMNN_THREADS must be a positive integer, got '${v}'`);
  return n;
}

/**
 * Creates a backend: 'wasm' (SIMD WebAssembly), 'js' (plain-TS reference), or 'auto'
 * (the WASMNN_BACKEND environment variable if set, else wasm where the engine supports it).
 * Threads: options.threads, else WASMNN_THREADS, else the registered default (Node: 2 on 2+ cores).
 */
export async function createBackend(name: BackendName | 'auto' = 'auto', options: BackendOptions = {}): Promise<Backend> {
  const choice = name === 'auto' ? (env('WASMNN_BACKEND') || 'auto') : name;
  if (choice !== 'auto' && choice !== 'js' && choice !== 'wasm') {
    throw new Error(`unknown backend '${choice}' (from WASMNN_BACKEND); use 'wasm' or 'js'`);
  }
  if (choice === 'js' || (choice === 'auto' && !wasmSupported())) return jsBackend();
  const threads = options.threads ?? envThreads() ?? threading?.defaultThreads ?? 1;
  try {
    return await (threading && threads > 1 ? createWasmBackend({ threads, spawnWorker: threading.spawnWorker }) : createWasmBackend());
  } catch (err) {
    if (!forbiddenByCsp(err)) throw err;
    if (choice === 'wasm') throw new Error(CSP_MESSAGE, { cause: err });
    if (!warnedAboutCsp) {
      warnedAboutCsp = true;
      console.warn(`${CSP_MESSAGE} Using the plain-JS backend instead, which is much slower.`);
    }
    return jsBackend();
  }
}

/** The plain-TS reference backend, imported on first use: most apps never run it, so bundles keep it in a chunk of its own. */
async function jsBackend(): Promise<Backend> {
  return (await import('./js/index.js')).createJsBackend();
}

const CSP_MESSAGE =
  "wasmnn: this page's Content-Security-Policy does not allow compiling WebAssembly; add 'wasm-unsafe-eval' to its script-src to run the WASM backend.";
let warnedAboutCsp = false;

/** A compile refused by the page's CSP (the engines word it differently; all name the policy or eval). */
function forbiddenByCsp(err: unknown): boolean {
  return err instanceof Error && err.name === 'CompileError' && /content security policy|unsafe-eval|wasm-eval/i.test(err.message);
}

/** What a backend runs on, for logs: 'js', or e.g. 'wasm (relaxed SIMD, 2 threads)'. */
export function describeBackend(backend: Backend): string {
  if (!(backend instanceof WasmBackend)) return backend.name;
  const build = backend.variant === 'scalar' ? 'scalar' : backend.variant === 'relaxed' ? 'relaxed SIMD' : 'SIMD';
  return `wasm (${build}, ${backend.threads} thread${backend.threads === 1 ? '' : 's'})`;
}
