/**
 * The demo page: draw or upload, then read the digit in the browser (the wasmnn library over
 * WebAssembly, model fetched from /model/) or on the server (POST /api/predict). This file wires
 * the parts together; each part is its own module.
 */
import { loadEngine, ModelLoadError, type Engine } from './engine.js';
import { initLanguage } from './i18n.js';
import { openImage, ACCEPTED_TYPES, type OpenedImage } from './image-file.js';
import { loadLibrary, type Image } from './lib.js';
import { number, single, type Outcome } from './outcome.js';
import { DrawingPad } from './pad.js';
import { PageError } from './page-error.js';
import { ResultView, type Words } from './result-view.js';
import { readOnServer } from './server-client.js';
import { format, type Strings } from './strings.js';
import { TeachPanel } from './teach.js';

type Mode = 'browser' | 'server';

/** What is read: the drawing, or an uploaded file. */
type Input = { kind: 'drawing' } | ({ kind: 'file' } & OpenedImage);

const el = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

/** Latin text (the backend's description) inside a right-to-left sentence keeps its own order. */
const isolate = (text: string): string => `\u2068${text}\u2069`;

const pad = new DrawingPad(el<HTMLCanvasElement>('pad'));
const overlay = el<HTMLCanvasElement>('overlay');
const wrap = el('pad-wrap');
let mode: Mode = 'browser';
let multi = false;
let input: Input | null = null;
let run = 0;

// ---- language and status ----

let statusWords: Words | null = null;
let statusIsError = false;
/** What the status line says when nothing else is going on: why the in-browser model is missing, if it is. */
let notice: Words | null = null;

const language = initLanguage(el<HTMLSelectElement>('language'), (lang, s) => {
  language.lang = lang;
  language.s = s;
  view.setLanguage(s, lang);
  renderStatus();
  renderHint();
  teach.render();
});
const view = new ResultView(language.s, language.lang);

function setStatus(words: Words | null, error = false): void {
  statusWords = words;
  statusIsError = error;
  renderStatus();
}

function renderStatus(): void {
  const status = el('status');
  const words = statusWords ?? notice;
  status.textContent = words ? words(language.s, language.lang) : '';
  status.classList.toggle('error', statusWords ? statusIsError : notice !== null);
}

function renderHint(): void {
  el('hint-main').textContent = multi ? language.s.hintNumber : language.s.hintDigit;
}

// ---- the in-browser engine ----

const library = loadLibrary();
const engine: Promise<Engine> = loadEngine(library);
const teach = new TeachPanel(engine, library, language);
// The image module checks uploads (image-file.ts) even when the model itself failed to load.
let imageModule: typeof Image | null = null;
library.then(
  (lib) => void (imageModule = lib.image),
  () => undefined,
);

setStatus((s) => s.loadingModel);
engine.then(
  (e) => {
    document.body.dataset['state'] = 'ready';
    document.body.dataset['backend'] = e.backend;
    setStatus((s) => format(s.modelReady, { backend: isolate(e.backend) }));
  },
  (err: unknown) => {
    console.warn('wasmnn page: the in-browser model did not load; reading on the server instead.', err);
    const failure = err instanceof ModelLoadError ? err.failure : ({ why: 'notModel' } as const);
    const why = (s: Strings): string => (failure.why === 'http' ? format(s.whyHttp, { status: failure.status }) : s[WHY[failure.why]]);
    const browserButton = el<HTMLButtonElement>('mode-browser');
    browserButton.disabled = true;
    browserButton.dataset['i18nTitle'] = 'browserUnavailable';
    browserButton.title = language.s.browserUnavailable;
    document.body.dataset['state'] = 'ready';
    document.body.dataset['modelFailed'] = failure.why;
    notice = (s) => format(s.modelFailed, { why: why(s) });
    setStatus(null);
    setMode('server');
  },
);

const WHY = { notModel: 'whyNotModel', network: 'whyNetwork', noWasm: 'whyNoWasm' } as const;

// ---- input ----

pad.onChange = () => {
  if (pad.hasStrokes) input = { kind: 'drawing' };
  else if (input?.kind === 'drawing') input = null;
  updateButtons();
  if (input) void predict();
  else idle();
};

el('undo').addEventListener('click', () => pad.undo());
el('clear').addEventListener('click', () => {
  input = null;
  pad.clear();
});
el('upload').addEventListener('click', () => el<HTMLInputElement>('file').click());
el<HTMLInputElement>('file').addEventListener('change', (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file) void useFile(file);
  (e.target as HTMLInputElement).value = '';
});

/** Only PNG and JPEG are let through, as the file picker and the server do. */
function draggedFileTypes(e: DragEvent): string[] {
  return Array.from(e.dataTransfer?.items ?? []).filter((i) => i.kind === 'file').map((i) => i.type);
}

wrap.addEventListener('dragover', (e) => {
  e.preventDefault();
  const ok = draggedFileTypes(e).some((t) => ACCEPTED_TYPES.includes(t));
  if (e.dataTransfer) e.dataTransfer.dropEffect = ok ? 'copy' : 'none';
  wrap.classList.toggle('dragging', ok);
  wrap.classList.toggle('refused', !ok);
  const note = el('drop-note');
  note.textContent = ok ? language.s.dropHere : language.s.dropRefused;
  note.hidden = false;
});
const endDrag = (): void => {
  wrap.classList.remove('dragging', 'refused');
  el('drop-note').hidden = true;
};
wrap.addEventListener('dragleave', endDrag);
wrap.addEventListener('drop', (e) => {
  e.preventDefault();
  endDrag();
  const files = Array.from(e.dataTransfer?.files ?? []);
  const file = files.find((f) => ACCEPTED_TYPES.includes(f.type)) ?? files[0];
  if (file) void useFile(file);
});

async function useFile(file: File): Promise<void> {
  const id = ++run;
  const busy = el('busy');
  busy.hidden = false;
  wrap.setAttribute('aria-busy', 'true');
  document.body.dataset['state'] = 'busy';
  setStatus((s) => s.openingImage);
  try {
    const opened = await openImage(file, imageModule);
    if (id !== run) return;
    input = { kind: 'file', ...opened };
    pad.setBackground(opened.bitmap);
    updateButtons();
    void predict();
  } catch (err) {
    if (id === run) failed(err);
  } finally {
    busy.hidden = true;
    wrap.removeAttribute('aria-busy');
  }
}

function updateButtons(): void {
  el<HTMLButtonElement>('undo').disabled = !pad.hasStrokes;
  el<HTMLButtonElement>('clear').disabled = pad.isEmpty;
  el('hint').hidden = !pad.isEmpty;
}

// ---- options ----

function toggle(on: HTMLElement, off: HTMLElement): void {
  on.setAttribute('aria-pressed', 'true');
  off.setAttribute('aria-pressed', 'false');
}

function setMode(next: Mode): void {
  if (next === mode) return;
  mode = next;
  toggle(el(`mode-${next}`), el(next === 'browser' ? 'mode-server' : 'mode-browser'));
  if (input) void predict();
}

/** Switching what to read keeps the drawing or the photo (the pad refits it) and reads it again. */
function setMulti(next: boolean): void {
  if (next === multi) return;
  multi = next;
  view.multi = next;
  toggle(el(next ? 'read-number' : 'read-digit'), el(next ? 'read-digit' : 'read-number'));
  const [w, h] = next ? [560, 280] : [280, 280];
  overlay.width = w;
  overlay.height = h;
  wrap.classList.toggle('wide', next);
  renderHint();
  pad.resize(w, h);
  if (input) void predict();
  else idle();
}

el('mode-browser').addEventListener('click', () => setMode('browser'));
el('mode-server').addEventListener('click', () => setMode('server'));
el('read-digit').addEventListener('click', () => setMulti(false));
el('read-number').addEventListener('click', () => setMulti(true));

// ---- prediction ----

async function predict(): Promise<void> {
  const id = ++run;
  const current = input;
  if (!current) return;
  const where = mode;
  document.body.dataset['state'] = 'busy';
  setStatus((s) => (where === 'browser' ? s.readingBrowser : s.askingServer));
  const t0 = performance.now();
  try {
    const outcome = where === 'browser' ? await inBrowser(current) : await onServer(current);
    if (id !== run) return;
    const ms = performance.now() - t0;
    const shownMs = ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
    const backend = where === 'browser' ? isolate((await engine).backend) : '';
    el('result').dataset['source'] = where;
    view.answer(outcome, (s) => (where === 'browser' ? format(s.readInBrowser, { backend, ms: shownMs }) : format(s.readOnServer, { ms: shownMs })));
    drawBoxes(outcome);
    setStatus(null);
    document.body.dataset['state'] = 'done';
  } catch (err) {
    // A model that failed to load is explained once, by the engine's handler, which switched to the server.
    if (id !== run || err instanceof ModelLoadError) return;
    failed(err);
  }
}

async function inBrowser(current: Input): Promise<Outcome> {
  const { image, classify } = await engine;
  if (current.kind === 'file' && !current.bitmap) {
    const name = current.file.name;
    throw new PageError((s) => format(s.cannotDecode, { name }));
  }
  const pixels = current.kind === 'file' && current.bitmap ? bitmapPixels(current.bitmap) : pad.imageData();
  return multi ? number(await image.recognizeNumber(pixels, classify)) : single(await image.recognizeDigit(pixels, classify));
}

/** An uploaded photo at (up to 2048 px on the long side of) its own resolution. */
function bitmapPixels(bitmap: ImageBitmap): ImageData {
  const scale = Math.min(1, 2048 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return ctx.getImageData(0, 0, canvas.width, canvas.height);
}

async function onServer(current: Input): Promise<Outcome> {
  return current.kind === 'drawing' ? readOnServer(await pad.toPng(), null, multi) : readOnServer(current.file, current.file.name, multi);
}

// ---- output ----

function drawBoxes(outcome: Outcome | null): void {
  const ctx = overlay.getContext('2d')!;
  ctx.clearRect(0, 0, overlay.width, overlay.height);
  const fit = input?.kind === 'file' ? pad.backgroundFit() : { x: 0, y: 0, scale: 1 };
  if (!fit || !outcome) return;
  // Boxes of an uploaded photo are in its own pixels; the browser path may have scaled it down first.
  const bitmap = input?.kind === 'file' ? input.bitmap : null;
  const photo = bitmap && mode === 'browser' ? Math.max(1, Math.max(bitmap.width, bitmap.height) / 2048) : 1;
  ctx.strokeStyle = 'rgba(79, 70, 229, 0.85)';
  ctx.lineWidth = 2;
  for (const { box: b } of outcome.items) {
    if (!b) continue;
    const s = fit.scale * photo;
    ctx.strokeRect(fit.x + b.x * s - 3, fit.y + b.y * s - 3, b.width * s + 6, b.height * s + 6);
  }
}

function idle(): void {
  run++;
  view.idle();
  el('result').dataset['source'] = '';
  drawBoxes(null);
  setStatus(null);
}

function failed(err: unknown): void {
  view.error();
  drawBoxes(null);
  const words: Words = err instanceof PageError ? err.words : () => (err instanceof Error ? err.message : String(err));
  setStatus(words, true);
  document.body.dataset['state'] = 'error';
}

renderHint();
view.idle();
updateButtons();
