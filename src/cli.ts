#!/usr/bin/env node
/** The `wasmnn` command line: commands live in ./cli/, one file each (see cli/commands.ts). */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './cli/commands.js';
import { enableRelaxedSimd, relaxedSimdRequested } from './cli/relaxed-simd.js';
import { reportError } from './cli/errors.js';

async function main(argv: string[]): Promise<void> {
  const cli = yargs(argv)
    .scriptName('wasmnn')
    .usage('$0 <command> [options]\n\nTrain and run MNIST digit classifiers with WebAssembly kernels.')
    .option('relaxed-simd', {
      type: 'boolean',
      global: true,
      describe: "Use Node 20's experimental WebAssembly relaxed SIMD (fused multiply-add) where the engine has it; on by default, --no-relaxed-simd or WASMNN_RELAXED_SIMD=0 turns it off",
    })
    .middleware(async (args) => {
      // Must run before any backend (and so any WebAssembly module) is created.
      if (relaxedSimdRequested(args['relaxedSimd'] as boolean | undefined)) await enableRelaxedSimd();
    })
    .command(commands)
    .demandCommand(1, 'no command given; try: wasmnn train | eval | predict | serve (see wasmnn --help)')
    .strict()
    .recommendCommands()
    .epilogue('Environment: WASMNN_BACKEND=wasm|js picks the default backend; WASMNN_DEBUG=1 shows stack traces.')
    .wrap(Math.min(120, process.stdout.columns ?? 120))
    .alias('h', 'help')
    .alias('v', 'version')
    .fail((message, error) => {
      // Let main's catch print it: one line, no help dump.
      if (error) throw error;
      const command = argv.find((a) => !a.startsWith('-'));
      throw new Error(message.startsWith('Did you mean') && command ? `unknown command '${command}'. ${message}` : message);
    });
  await cli.parseAsync();
}

main(hideBin(process.argv)).catch(reportError);
