/**
 * `--workers N`: the primary forks N server processes that share one listening port
 * (Node's cluster module), restarts any that crash, and on SIGTERM stops them all gracefully.
 * A worker that cannot start (a bad model, a busy port) tells the primary why; before every
 * worker listens that ends the whole server with the worker's error and exit code 1, since
 * restarting it would fail the same way.
 */
import cluster, { type Address, type Worker } from 'node:cluster';

export interface PrimaryOptions {
  workers: number;
  log: (line: string) => void;
  /** Called once every worker listens. */
  onListening: (address: Address) => void;
}

const SHUTDOWN_TIMEOUT_MS = 15_000;
const MAX_RESTARTS_PER_MINUTE = 10;

/** The message a worker sends the primary when it cannot start. */
interface StartupFailure {
  wasmnnStartupFailure: string;
}

function isStartupFailure(message: unknown): message is StartupFailure {
  return typeof message === 'object' && message !== null && typeof (message as StartupFailure).wasmnnStartupFailure === 'string';
}

/**
 * In a worker: tells the primary why this worker cannot start, then exits 1. (The IPC channel to
 * the primary would otherwise keep the failed worker alive, and the primary waiting for it.)
 */
export function failWorkerStartup(message: string): void {
  const exit = () => process.exit(1);
  if (process.send) process.send({ wasmnnStartupFailure: message } satisfies StartupFailure, undefined, {}, exit);
  else exit();
}

export function runPrimary({ workers, log, onListening }: PrimaryOptions): void {
  let stopping = false;
  let exitCode = 0;
  let listening = 0;
  const restarts: number[] = [];

  cluster.on('listening', (_worker, address) => {
    if (++listening === workers) onListening(address);
  });
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isStartupFailure(message) || stopping) return;
    if (listening < workers) {
      // Before the server is up, every restart would fail the same way: give up at once.
      log(`wasmnn: ${message.wasmnnStartupFailure}`);
      stop(1);
    } else {
      log(`wasmnn serve: worker ${worker.process.pid} could not start: ${message.wasmnnStartupFailure}`);
    }
  });
  cluster.on('exit', (worker: Worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts[0]! < now - 60_000) restarts.shift();
    if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
      log(`wasmnn serve: workers keep dying (last: pid ${worker.process.pid}, ${signal ?? `code ${code}`}); giving up`);
      stop(1);
      return;
    }
    log(`wasmnn serve: worker ${worker.process.pid} died (${signal ?? `code ${code}`}); starting another`);
    cluster.fork();
  });

  const stop = (code: number) => {
    stopping = true;
    exitCode = code;
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (alive.length === 0) process.exit(exitCode);
    for (const w of alive) w.process.kill('SIGTERM');
    setTimeout(() => process.exit(exitCode), SHUTDOWN_TIMEOUT_MS).unref();
  };
  let signalled = false;
  const onSignal = () => {
    if (signalled) process.exit(1);
    signalled = true;
    stop(0);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  for (let i = 0; i < workers; i++) cluster.fork();
}

/** In a worker: exit when the primary goes away (its IPC channel closes). */
export function exitWithPrimary(stop: () => Promise<void>): void {
  cluster.worker?.on('disconnect', () => {
    void stop().finally(() => process.exit(0));
  });
}
