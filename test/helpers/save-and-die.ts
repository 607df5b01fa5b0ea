// A child process for test/model-save-crash.test.ts: saves a small model into a directory and
// SIGKILLs itself right after the named step of the save (or never, with 'none').
//   node --import tsx test/helpers/save-and-die.ts DIR STEP UNITS VALUE
import { saveArtifactsToDirectory, type SaveStep } from '../../src/model/io-node.js';
import { crashTestArtifacts } from './crash-model.js';

const [dir, step, units, value] = process.argv.slice(2);
await saveArtifactsToDirectory(dir!, crashTestArtifacts(Number(units), Number(value)), (done: SaveStep) => {
  if (done === step) process.kill(process.pid, 'SIGKILL');
});
