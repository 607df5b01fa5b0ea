/**
 * The CLI's command registry. A new command (predict, serve, ...) is one file in
 * this folder exporting a yargs CommandModule, plus one line here.
 */
import type { CommandModule } from 'yargs';
import { evalCommand } from './eval.js';
import { exportCommand } from './export.js';
import { predictCommand } from './predict.js';
import { serveCommand } from './serve.js';
import { trainCommand } from './train.js';

// Each module is typed by its own options; the registry only needs them as yargs commands.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<object, any>[] = [trainCommand, evalCommand, predictCommand, serveCommand, exportCommand];
