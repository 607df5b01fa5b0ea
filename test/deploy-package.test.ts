/**
 * The Dockerfile's steps as plain shell commands, since no container runtime exists here: pack
 * the built package, unpack it into a scratch directory, `npm ci --omit=dev` there from the npm
 * cache (offline), start the server with the Dockerfile's own CMD, and probe it — /readyz,
 * /metrics, a prediction, and the Dockerfile's own HEALTHCHECK command.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile as execFileCb, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cachedFixtures } from './fixtures/generate.js';
import { value } from './helpers/prometheus.js';
import { rejects } from './helpers/rejects.js';

const execFile = promisify(execFileCb);
const ROOT = join(import.meta.dirname, '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The JSON (exec-form) arguments of the Dockerfile instruction `keyword ... CMD [...]`, continuation lines joined. */
function dockerfileCommand(keyword: 'HEALTHCHECK' | 'CMD'): string[] {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
  const line = text.split('\n').find((l) => l.startsWith(`${keyword} `));
  assert.ok(line, `the Dockerfile has a ${keyword}`);
  return JSON.parse(line.slice(line.indexOf('CMD ') + 4)) as string[];
}

test('Dockerfile steps: npm pack → npm ci --omit=dev (offline) → its CMD serves; /readyz, /metrics, a prediction and its HEALTHCHECK pass', async () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'dist/ is built (npm run build)');
  const scratch = mkdtempSync(join(tmpdir(), 'wasmnn-image-'));
  const app = join(scratch, 'app');
  let child: ReturnType<typeof spawn> | undefined;
  try {
    const packed = JSON.parse((await execFile(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: ROOT })).stdout) as [{ filename: string; files: { path: string }[] }];
    const files = packed[0].files.map((f) => f.path);
    assert.ok(files.includes('dist/cli.js') && files.includes('pretrained/compact/model.json'), 'the tarball has the built CLI and the model');

    mkdirSync(app);
    await execFile('tar', ['-xzf', join(scratch, packed[0].filename), '--strip-components=1', '-C', app]);
    copyFileSync(join(ROOT, 'package-lock.json'), join(app, 'package-lock.json'));
    await execFile(NPM, ['ci', '--omit=dev', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'], { cwd: app });
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.ok(pkg.dependencies['prom-client'], 'prom-client is a runtime dependency of the packed package');
    assert.ok(existsSync(join(app, 'node_modules', 'prom-client', 'package.json')), 'prom-client installed');
    assert.not.ok(existsSync(join(app, 'node_modules', 'typescript')), 'no dev dependencies');
    assert.not.ok(existsSync(join(app, 'node_modules', '@tensorflow')), 'no dev dependencies');

    const [command, ...args] = dockerfileCommand('CMD');
    assert.equal([command, ...args], ['node', 'dist/cli.js', 'serve']);
    // The image listens on 0.0.0.0:8080; here the rules are loopback and a free port.
    const env = { ...process.env, NODE_ENV: 'production', WASMNN_HOST: '127.0.0.1', WASMNN_PORT: '0' };
    const server = spawn(process.execPath, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = server;
    let out = '';
    server.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    server.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const base = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
        if (m) {
          clearInterval(timer);
          resolve(m[1]!);
        }
      }, 20);
      server.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
    });
    assert.match(out, new RegExp(`model ${app.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), 'serves the model from the installed package');

    const ready = await fetch(`${base}/readyz`);
    assert.is(ready.status, 200);
    const png = cachedFixtures(1).find((f) => f.name === 'digit-7-5-chalk-png-rgb')!;
    const predicted = await fetch(`${base}/api/predict`, { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: new Uint8Array(png.bytes) });
    assert.is(((await predicted.json()) as { digit: number }).digit, 7);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.is(value(metrics, 'wasmnn_http_requests_total', { route: '/api/predict', method: 'POST', status: '200' }), 1);
    assert.is(value(metrics, 'wasmnn_model_info', { model: 'compact', backend: 'wasm' }), 1);

    const [hcCommand, ...hcArgs] = dockerfileCommand('HEALTHCHECK');
    assert.is(hcCommand, 'node');
    const port = new URL(base).port;
    await execFile(process.execPath, hcArgs, { env: { ...process.env, WASMNN_PORT: port } }); // rejects on a non-zero exit
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    child = undefined;
    // And it fails once the server is gone.
    await rejects(() => execFile(process.execPath, hcArgs, { env: { ...process.env, WASMNN_PORT: port } }), /Command failed/);
  } finally {
    child?.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  }
});

test.run();
