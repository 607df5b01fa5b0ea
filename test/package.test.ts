/**
 * The package as a user gets it: `npm pack` the built package, install the tarball into a scratch
 * project (from npm's cache where it can), type-check the README's examples under the three module
 * resolutions TypeScript users have (nodenext, node16, bundler) and run them with Node, as ESM
 * and through require(). Also asserts the tarball stays clean: no source maps, no AssemblyScript
 * sources, the WASM bytes typed as string, and no warning or script at install.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { cachedFixtures } from './fixtures/generate.js';

const run = promisify(execFile);
const root = resolve('.');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tsc = join(root, 'node_modules/typescript/bin/tsc');

interface PackedFile {
  path: string;
  size: number;
}

let scratch = '';
let files: PackedFile[] = [];
let installLog = '';

test.before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'wasmnn-package-'));
  // --ignore-scripts: pack what `npm install` built instead of rebuilding it (prepare).
  const { stdout } = await run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], { cwd: root, maxBuffer: 16 << 20 });
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; size: number; unpackedSize: number; files: PackedFile[] }[];
  files = packed!.files;
  console.log(`  tarball ${packed!.filename}: ${(packed!.size / 1024).toFixed(0)} KB packed, ${(packed!.unpackedSize / 1024).toFixed(0)} KB unpacked, ${files.length} files`);

  await writeFile(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  const install = await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', '--foreground-scripts', join(scratch, packed!.filename)], { cwd: scratch, maxBuffer: 16 << 20 });
  installLog = install.stdout + install.stderr;
  // TypeScript and Node's types come from this repository, as a user's own devDependencies would.
  await mkdir(join(scratch, 'node_modules/@types'), { recursive: true });
  await symlink(join(root, 'node_modules/@types/node'), join(scratch, 'node_modules/@types/node'), 'dir');
  for (const example of ['quickstart.ts', 'recognize.ts', 'train-mnist.ts', 'predict.ts']) await cp(join(root, 'examples', example), join(scratch, example));
  await writeFile(
    join(scratch, 'browser-only.ts'),
    [
      "import * as wasmnn from 'wasmnn';",
      "import * as image from 'wasmnn/image';",
      'export const core = [wasmnn.Sequential, wasmnn.loadPretrained, image.preprocessDigit];',
      '// @ts-expect-error loadMnist reads files: the browser entry does not have it',
      'export const mnist = wasmnn.loadMnist;',
      '// @ts-expect-error decoding bytes is Node-only: a browser passes canvas ImageData',
      'export const decode = image.decodeImage;',
      "import { WorkerModel } from 'wasmnn/worker';",
      "export const inWorker = (m: wasmnn.Sequential) => WorkerModel.create(m, { worker: new Worker('w.js', { type: 'module' }) });",
    ].join('\n'),
  );
});

test.after(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

test('the tarball holds the built package and nothing else', async () => {
  const paths = files.map((f) => f.path);
  assert.ok(paths.includes('dist/index.node.js') && paths.includes('dist/index.d.ts') && paths.includes('dist/cli.js'));
  assert.ok(paths.includes('pretrained/compact/model.json') && paths.includes('README.md') && paths.includes('LICENSE'));
  assert.ok(paths.includes('dist/worker/model-worker.js') && paths.includes('dist/worker/model-worker-node.js'), 'the worker modules WorkerModel starts');
  assert.equal(paths.filter((p) => p.endsWith('.map')), [], 'no source maps (the sources do not ship)');
  assert.equal(paths.filter((p) => p.startsWith('assembly/') || p.startsWith('src/') || p.startsWith('test/')), [], 'no sources or tests');
  // The registry page shows the README outside the repository: links and images must be absolute.
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  assert.equal([...readme.matchAll(/\]\((?!https?:\/\/|#)([^)]+)\)/g)].map((m) => m[1]), [], 'relative links in README.md');
  const buildTypes = files.filter((f) => /^dist\/kernels\/wasm\/builds\/\w+\.generated\.d\.ts$/.test(f.path));
  assert.is(buildTypes.length, 6, 'one module per WASM build');
  for (const f of buildTypes) assert.ok(f.size < 256, `${f.path}: the WASM bytes are typed as a plain string (${f.size} bytes)`);
});

test('installing the tarball prints no warning and runs no script', async () => {
  assert.not.match(installLog, /\bwarn/i, installLog);
  const installed = JSON.parse(await readFile(join(scratch, 'node_modules/wasmnn/package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const installTime = Object.keys(installed.scripts ?? {}).filter((s) => /^(pre|post)?install$/.test(s));
  assert.equal(installTime, [], 'no install-time scripts');
  await stat(join(scratch, 'node_modules/wasmnn/dist/index.node.js'));
});

for (const [resolution, module, examples] of [
  ['nodenext', 'nodenext', ['quickstart.ts', 'recognize.ts', 'train-mnist.ts', 'predict.ts']],
  ['node16', 'node16', ['quickstart.ts', 'recognize.ts', 'train-mnist.ts', 'predict.ts']],
  ['bundler', 'esnext', ['quickstart.ts', 'browser-only.ts']],
] as const) {
  test(`the README examples type-check with moduleResolution ${resolution}`, async () => {
    const config = {
      compilerOptions: { strict: true, target: 'es2022', module, moduleResolution: resolution, lib: ['es2022', 'dom'], types: resolution === 'bundler' ? [] : ['node'], outDir: `out-${resolution}`, skipLibCheck: false },
      files: examples,
    };
    await writeFile(join(scratch, `tsconfig.${resolution}.json`), JSON.stringify(config));
    try {
      await run(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`], { cwd: scratch });
    } catch (err) {
      const { stdout, stderr } = err as { stdout: string; stderr: string };
      assert.unreachable(`tsc (${resolution}) failed:\n${stdout}${stderr}`);
    }
  });
}

test("the README's quick start is examples/quickstart.ts, the file this test runs", async () => {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const block = /## Quick start\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  const example = await readFile(join(root, 'examples/quickstart.ts'), 'utf8');
  assert.is(block, example.slice(example.indexOf('*/\n') + 3));
});

test('the examples run with Node from the installed package (ESM)', async () => {
  const out = join(scratch, 'out-nodenext');
  const quick = await run(process.execPath, [join(out, 'quickstart.js')], { cwd: scratch });
  assert.match(quick.stdout, /^classes 0 1 2, training accuracy 1\n$/);
  const number = cachedFixtures().find((f) => f.kind === 'number' && f.encoding.startsWith('png'))!;
  await writeFile(join(scratch, 'number.png'), number.bytes);
  const read = await run(process.execPath, [join(out, 'recognize.js'), 'number.png'], { cwd: scratch });
  assert.match(read.stdout, new RegExp(`^digits ${number.label}, lowest confidence 0\\.\\d+\\n$`));
});

test('require() works for CommonJS callers (Node 20.19+ loads the ESM package)', async () => {
  const script = [
    "const { Sequential, layers, tensor } = require('wasmnn');",
    "const image = require('wasmnn/image');",
    "if (typeof Sequential !== 'function' || typeof image.decodeImage !== 'function') throw new Error('missing exports');",
    "const m = new Sequential([layers.dense({ units: 2, inputShape: [3] })]);",
    'm.predict(tensor([[1, 2, 3]])).then((p) => console.log(p.shape.join("x")));',
  ].join('\n');
  const { stdout } = await run(process.execPath, ['--no-warnings', '-e', script], { cwd: scratch });
  assert.is(stdout, '1x2\n');
});

test("wasmnn/worker's Node entry runs a model in a worker thread from the installed package", async () => {
  const script = [
    "import { Sequential, layers, tensor } from 'wasmnn';",
    "import { WorkerModel } from 'wasmnn/worker';",
    "const wm = await WorkerModel.create(new Sequential([layers.dense({ units: 2, inputShape: [3] })]));",
    'console.log((await wm.predict(tensor([[1, 2, 3]]))).shape.join("x"));',
    'await wm.dispose();',
  ].join('\n');
  // A file, not -e: a worker thread inherits the process's flags, and --input-type would fail it.
  await writeFile(join(scratch, 'worker-model.mjs'), script);
  const { stdout } = await run(process.execPath, ['worker-model.mjs'], { cwd: scratch });
  assert.is(stdout, '1x2\n');
});

test.run();
