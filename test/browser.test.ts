/**
 * The demo page in a real browser: Debian's chromium, driven by playwright-core, against the
 * server running the BUILT package (dist/). Draws a 7 with the mouse, reads it in the browser
 * (the library's ESM build over WebAssembly, no bundler) and then on the server.
 * Screenshot: test-output/browser.png. Skips only when /usr/bin/chromium is missing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = new URL('..', import.meta.url).pathname;
const SCREENSHOT = join(ROOT, 'test-output', 'browser.png');

/** dist/ is stale when any src/*.ts is newer than the .js compiled from it. */
function distIsStale(): boolean {
  const walk = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return walk(path);
      if (!e.name.endsWith('.ts') || e.name.endsWith('.d.ts')) return false;
      const out = join(ROOT, 'dist', relative(join(ROOT, 'src'), path).replace(/\.ts$/, '.js'));
      return !existsSync(out) || statSync(out).mtimeMs < statSync(path).mtimeMs;
    });
  return walk(join(ROOT, 'src'));
}

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'serve', '--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: string) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
    setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000).unref();
  });
}

const available = existsSync(CHROMIUM);
let server: { child: ChildProcess; url: string } | null = null;
let profile = '';
let context: BrowserContext | null = null;
let page: Page;
const pageErrors: string[] = [];

test.before(async () => {
  if (!available) return;
  if (distIsStale()) execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
  server = await startServer();
  profile = await mkdtemp(join(tmpdir(), 'wasmnn-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1100, height: 760 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
  });
  page.on('requestfailed', (req) => pageErrors.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`));
});

test.after(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  server?.child.kill('SIGTERM');
});

/** A 7: a top bar, then a slanted stem, with small steps as a hand would. */
async function drawSeven(): Promise<void> {
  const box = (await page.locator('#pad').boundingBox())!;
  const at = (fx: number, fy: number): [number, number] => [box.x + fx * box.width, box.y + fy * box.height];
  await page.mouse.move(...at(0.3, 0.22));
  await page.mouse.down();
  await page.mouse.move(...at(0.7, 0.22), { steps: 12 });
  await page.mouse.move(...at(0.45, 0.8), { steps: 16 });
  await page.mouse.up();
}

async function shownDigit(source: 'browser' | 'server'): Promise<string> {
  await page.waitForSelector(`#result[data-source="${source}"]`, { timeout: 20_000 });
  await page.waitForFunction(() => document.body.dataset['state'] === 'done' || document.body.dataset['state'] === 'error', null, { timeout: 20_000 });
  return page.locator('#result-digit').innerText();
}

test('draw a 7: the page reads it in the browser and on the server', async () => {
  if (!available) {
    console.log(`  SKIPPED browser test: ${CHROMIUM} is missing (apt-get install -y chromium)`);
    return;
  }
  await page.goto(server!.url);
  await page.waitForFunction(() => document.body.dataset['state'] === 'ready', null, { timeout: 30_000 });
  assert.match(await page.locator('#status').innerText(), /Model ready in the browser/);

  await drawSeven();
  assert.is(await shownDigit('browser'), '7');
  assert.match(await page.locator('#result-source').innerText(), /in your browser/);
  assert.match(await page.locator('#result-confidence').innerText(), /\d+\.\d% confident/);
  assert.is(await page.locator('#chart .bar').count(), 10);
  assert.is(await page.locator('#chart .bar.top').getAttribute('data-digit'), '7');

  await page.click('#mode-server');
  assert.is(await shownDigit('server'), '7');
  assert.match(await page.locator('#result-source').innerText(), /on the server/);

  mkdirSync(join(ROOT, 'test-output'), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  await page.click('#clear');
  assert.is(await page.locator('#result-digit').innerText(), '–');
  assert.equal(pageErrors, []);
});

test.run();
