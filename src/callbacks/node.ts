// The callbacks of the Node entry: the core's plus csvLogger, which writes files.
import { csvLogger } from './csv-logger.js';
import { callbacks as coreCallbacks } from './index.js';

export { CsvLogger, csvLogger, type CsvLoggerArgs } from './csv-logger.js';

export const callbacks = { ...coreCallbacks, csvLogger };
