/** `wasmnn serve`: the demo web page and the prediction API on node:http, optionally over all cores. */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { defaultModelDir } from '../pretrained.js';
import { exitWithPrimary, failWorkerStartup, runPrimary } from '../server/cluster.js';
import { DEFAULT_LIMITS, startServer } from '../server/server.js';
import { onShutdownSignal } from '../server/shutdown.js';
import { type BuilderOptions, BACKENDS, CliError, integer, positiveInt } from './options.js';

function workerCount(v: unknown): number {
  if (v === 'auto') return availableParallelism();
  const n = positiveInt('workers')(v);
  return n ?? 1;
}

function builder(y: Argv) {
  return y
    .options({
      port: { default: 8080, describe: 'TCP port (0: any free port)', requiresArg: true, coerce: integer('port') },
      host: { type: 'string', default: '127.0.0.1', describe: 'Address to listen on (0.0.0.0: every interface)', requiresArg: true },
      model: { type: 'string', describe: 'Model directory (default: the pretrained compact CNN)', requiresArg: true },
      workers: { default: 1, describe: "Server processes sharing the port (cluster); 'auto' = one per core", requiresArg: true, coerce: workerCount },
      backend: { type: 'string', choices: BACKENDS, describe: 'Compute backend (default: $WASMNN_BACKEND, else wasm)', requiresArg: true },
      'max-body-mb': { default: DEFAULT_LIMITS.maxBodyBytes / 2 ** 20, describe: 'Largest request body, MiB', requiresArg: true, coerce: positiveInt('max-body-mb') },
      'max-megapixels': { default: DEFAULT_LIMITS.maxPixels / 1e6, describe: 'Largest image (width × height), megapixels', requiresArg: true, coerce: positiveInt('max-megapixels') },
    })
    .check((args) => {
      const port = args.port ?? 0;
      if (port < 0 || port > 65535) throw new CliError(`--port must be 0..65535, got ${port}`);
      return true;
    })
    .example('$0 serve', 'Page and API at http://127.0.0.1:8080')
    .example('$0 serve --port 3000 --workers auto', 'One process per core');
}

type ServeOptions = BuilderOptions<typeof builder>;

const log = (line: string) => void process.stderr.write(`${line}\n`);

async function handler(args: ArgumentsCamelCase<ServeOptions>): Promise<void> {
  const modelDir = args.model === undefined ? defaultModelDir() : resolve(args.model);
  if (cluster.isPrimary && args.workers > 1) {
    runPrimary({
      workers: args.workers,
      log,
      onListening: (a) => {
        const host = a.address === undefined || a.address === null ? args.host : a.address;
        process.stdout.write(`wasmnn serve: listening on http://${host}:${a.port} (${args.workers} workers, model ${modelDir})\n`);
      },
    });
    return;
  }
  let running;
  try {
    running = await startServer({
      modelDir,
      port: args.port ?? 8080,
      host: args.host,
      ...(args.backend ? { backend: args.backend as (typeof BACKENDS)[number] } : {}),
      limits: {
        maxBodyBytes: (args.maxBodyMb ?? DEFAULT_LIMITS.maxBodyBytes / 2 ** 20) * 2 ** 20,
        maxPixels: (args.maxMegapixels ?? DEFAULT_LIMITS.maxPixels / 1e6) * 1e6,
      },
      log,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // A worker leaves the report to the primary, which stops the whole server with it.
    if (cluster.isWorker) return failWorkerStartup(message);
    throw new CliError(message, { cause: err });
  }
  if (cluster.isWorker) {
    onShutdownSignal(() => running.close(), false);
    exitWithPrimary(() => running.close());
    return;
  }
  onShutdownSignal(async (signal) => {
    log(`wasmnn serve: ${signal}, finishing requests in flight`);
    await running.close();
  });
  process.stdout.write(`wasmnn serve: listening on ${running.url} (model ${modelDir})\n`);
}

export const serveCommand: CommandModule<object, ServeOptions> = {
  command: 'serve',
  describe: 'Serve the digit-recognition page and POST /api/predict',
  builder,
  handler,
};
