/**
 * The demo page in a real browser: `wasmnn serve` from the BUILT package (dist/, rebuilt first
 * when any src/*.ts is newer) on 127.0.0.1, and Debian's chromium (playwright-core) with a fresh
 * profile. Page errors, console errors and failed requests are collected for the test to assert.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = new URL('../..', import.meta.url).pathname;
export const pageTestsCanRun = existsSync(CHROMIUM);
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

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

export interface PageServer {
  url: string;
  close(): void;
}

export function startPageServer(): Promise<PageServer> {
  if (distIsStale()) execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'serve', '--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ url: m[1]!, close: () => void child.kill('SIGTERM') });
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
    setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000).unref();
  });
}

export interface PageBrowser {
  context: BrowserContext;
  page: Page;
  /** Page errors, console errors and failed requests, as they happen. */
  errors: string[];
  close(): Promise<void>;
}

export async function openBrowser(options: { viewport: { width: number; height: number }; locale?: string }): Promise<PageBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'wasmnn-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport,
    ...(options.locale ? { locale: options.locale } : {}),
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    errors: watchErrors(page),
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Page errors, console errors and failed requests of `page`, collected as they happen. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => void (msg.type() === 'error' && errors.push(`console: ${msg.text()}`)));
  page.on('requestfailed', (req) => errors.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`));
  return errors;
}

/** Waits until the page has loaded its in-browser model (or explained why not). */
export async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset['state'] === 'ready', null, { timeout: 60_000 });
}

/** Waits for the answer of the reading in progress and returns the result box's text. */
export async function waitAnswer(page: Page, source: 'browser' | 'server'): Promise<string> {
  await page.waitForSelector(`#result[data-source="${source}"]`, { timeout: 30_000 });
  await page.waitForFunction(() => document.body.dataset['state'] === 'done' || document.body.dataset['state'] === 'error', null, { timeout: 30_000 });
  return page.locator('#result-digit').innerText();
}

/** Strokes in fractions of the pad's box (the canvas `pad`), drawn with the mouse in small steps (`steps` per segment) as a hand would. */
export async function drawStrokes(page: Page, strokes: [number, number][][], pad = '#pad', steps = 12): Promise<void> {
  const box = (await page.locator(pad).boundingBox())!;
  const at = ([fx, fy]: [number, number]): [number, number] => [box.x + fx * box.width, box.y + fy * box.height];
  for (const stroke of strokes) {
    await page.mouse.move(...at(stroke[0]!));
    await page.mouse.down();
    for (const point of stroke.slice(1)) await page.mouse.move(...at(point), { steps });
    await page.mouse.up();
  }
}

/** A 7: a top bar, then a slanted stem. */
export const SEVEN: [number, number][][] = [[[0.3, 0.22], [0.7, 0.22], [0.45, 0.8]]];
