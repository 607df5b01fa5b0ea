/** `wasmnn serve`: the demo web page and the prediction API on node:http, optionally over all cores. */
import cluster from 'node:cluster';
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { defaultModelDir } from '../pretrained.js';
import { exitWithPrimary, failWorkerStartup, runPrimary, workerLink } from '../server/cluster.js';
import { startServer } from '../server/server.js';
import { onShutdownSignal } from '../server/shutdown.js';
import { type BuilderOptions, BACKENDS, CliError, positiveInt } from './options.js';
import { ACCESS_LOG_FORMATS, SERVE_DEFAULTS as D, SERVE_ENV as E, parseAccessLog, parsePort, parseWorkers, serveConfig } from './serve-config.js';

// No yargs defaults: an option left out must stay undefined so its WASMNN_* variable can fill it.
function builder(y: Argv) {
  return y
    .options({
      port: { describe: `TCP port, an integer (0: any free port) [env ${E.port}]`, defaultDescription: String(D.port), requiresArg: true, coerce: parsePort('port') },
      host: { type: 'string', describe: `Address to listen on (0.0.0.0: every interface) [env ${E.host}]`, defaultDescription: D.host, requiresArg: true },
      model: { type: 'string', describe: `Model directory [env ${E.model}]`, defaultDescription: 'the pretrained compact CNN', requiresArg: true },
      workers: {
        describe: `Server processes sharing the port (cluster): a positive integer, or 'auto' = one per core [env ${E.workers}]`,
        defaultDescription: String(D.workers),
        requiresArg: true,
        coerce: parseWorkers('workers'),
      },
      backend: { type: 'string', choices: BACKENDS, describe: 'Compute backend [env WASMNN_BACKEND]', defaultDescription: 'wasm', requiresArg: true },
      'max-body-mb': { describe: `Largest request body, MiB (a positive integer) [env ${E.maxBodyMb}]`, defaultDescription: String(D.maxBodyMb), requiresArg: true, coerce: positiveInt('max-body-mb') },
      'max-megapixels': {
        describe: `Largest image (width × height), megapixels (a positive integer) [env ${E.maxMegapixels}]`,
        defaultDescription: String(D.maxMegapixels),
        requiresArg: true,
        coerce: positiveInt('max-megapixels'),
      },
      'access-log': {
        describe: `One JSON line per request on stdout: ${ACCESS_LOG_FORMATS.join(' or ')} [env ${E.accessLog}]`,
        defaultDescription: D.accessLog,
        requiresArg: true,
        coerce: parseAccessLog('access-log'),
      },
      metrics: { type: 'boolean', describe: `Prometheus metrics at GET /metrics; --no-metrics turns them off [env ${E.metrics}=1|0]`, defaultDescription: 'on' },
    })
    .example('$0 serve', 'Page and API at http://127.0.0.1:8080')
    .example('$0 serve --port 3000 --workers auto', 'One process per core')
    .example('WASMNN_HOST=0.0.0.0 WASMNN_ACCESS_LOG=json $0 serve', 'As in a container (docs/DEPLOY.md)')
    .epilogue(
      'Every option can also come from its WASMNN_* environment variable; a flag wins over the variable. ' +
        'GET /healthz answers while the process lives, GET /readyz answers 200 once the model is loaded (503 before, and during shutdown).',
    );
}

type ServeOptions = BuilderOptions<typeof builder>;

const log = (line: string) => void process.stderr.write(`${line}\n`);
const accessLogLine = (line: string) => void process.stdout.write(`${line}\n`);

async function handler(args: ArgumentsCamelCase<ServeOptions>): Promise<void> {
  const config = serveConfig(
    {
      port: args.port,
      host: args.host,
      model: args.model,
      workers: args.workers,
      maxBodyMb: args.maxBodyMb,
      maxMegapixels: args.maxMegapixels,
      accessLog: args.accessLog,
      metrics: args.metrics,
    },
    process.env,
  );
  const modelDir = config.model === undefined ? defaultModelDir() : resolve(config.model);
  if (cluster.isPrimary && config.workers > 1) {
    runPrimary({
      workers: config.workers,
      log,
      onListening: (a) => {
        const host = a.address === undefined || a.address === null ? config.host : a.address;
        process.stdout.write(`wasmnn serve: listening on http://${host}:${a.port} (${config.workers} workers, model ${modelDir})\n`);
      },
    });
    return;
  }
  let running;
  try {
    running = await startServer({
      modelDir,
      port: config.port,
      host: config.host,
      ...(args.backend ? { backend: args.backend as (typeof BACKENDS)[number] } : {}),
      limits: { maxBodyBytes: config.maxBodyMb * 2 ** 20, maxPixels: config.maxMegapixels * 1e6 },
      metrics: config.metrics,
      ...(config.accessLog === 'json' ? { accessLog: accessLogLine } : {}),
      ...(cluster.isWorker ? { worker: workerLink() } : {}),
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
