/**
 * The demo page: draw or upload, then read the digit in the browser (the wasmnn library
 * over WebAssembly, model fetched from /model/) or on the server (POST /api/predict).
 */
import { renderChart } from './chart.js';
import { loadLibrary, type Image } from './lib.js';
import { DrawingPad } from './pad.js';

type Mode = 'browser' | 'server';
type Box = Image.Box;

/** One digit as both the library and the server describe it. */
type Item = Image.DigitRecognition;

interface Outcome {
  text: string;
  isDigit: boolean;
  reason?: string;
  /** A digit answered below the sure confidence (DEFAULT_SURE_CONFIDENCE): shown as "not sure". */
  uncertain: boolean;
  items: Item[];
}

interface Engine {
  image: typeof Image;
  classify: Image.Classify;
  backend: string;
}

/** A drawing, or an uploaded file (bitmap null when this browser cannot decode it). */
type Input = { kind: 'drawing' } | { kind: 'file'; file: File; bitmap: ImageBitmap | null };

const el = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

const pad = new DrawingPad(el<HTMLCanvasElement>('pad'));
const overlay = el<HTMLCanvasElement>('overlay');
const status = el('status');
let mode: Mode = 'browser';
let multi = false;
let input: Input | null = null;
let run = 0;
let selected = 0;
let last: Outcome | null = null;

const engine: Promise<Engine> = loadEngine();
engine.then(
  (e) => {
    document.body.dataset['state'] = 'ready';
    setStatus(`Model ready in the browser (${e.backend} backend).`);
  },
  (err: unknown) => {
    document.body.dataset['state'] = 'ready';
    setStatus(`The in-browser model failed to load: ${message(err)}. "On server" still works.`, true);
  },
);

async function loadEngine(): Promise<Engine> {
  const { core, image } = await loadLibrary();
  const modelJson = (await fetchOk('/model/model.json').then((r) => r.json())) as { weightsManifest: { paths: string[] }[] };
  const paths = modelJson.weightsManifest.flatMap((g) => g.paths);
  const shards = await Promise.all(paths.map(async (p) => new Uint8Array(await (await fetchOk(`/model/${p.replace(/^\.\//, '')}`)).arrayBuffer())));
  const model = await core.loadModel({ modelJson, weightData: shards });
  const classify: Image.Classify = async (inputs, n) => (await model.predict(core.tensor(inputs, [n, image.MNIST_SIZE, image.MNIST_SIZE, 1]))).data;
  return { image, classify, backend: model.backend?.name ?? 'unknown' };
}

async function fetchOk(url: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res;
}

// ---- input ----

pad.onChange = () => {
  if (pad.hasStrokes) input = { kind: 'drawing' };
  else if (input?.kind === 'drawing') input = null;
  updateButtons();
  if (input) void predict();
  else showIdle();
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

const wrap = el('pad-wrap');
wrap.addEventListener('dragover', (e) => {
  e.preventDefault();
  wrap.classList.add('dragging');
});
wrap.addEventListener('dragleave', () => wrap.classList.remove('dragging'));
wrap.addEventListener('drop', (e) => {
  e.preventDefault();
  wrap.classList.remove('dragging');
  const file = e.dataTransfer?.files[0];
  if (file) void useFile(file);
});

async function useFile(file: File): Promise<void> {
  // If the browser cannot decode it, the server can still say what is wrong with it.
  const bitmap = await createImageBitmap(file).catch(() => null);
  input = { kind: 'file', file, bitmap };
  if (bitmap) pad.setBackground(bitmap);
  else pad.setBackground(null);
  updateButtons();
  void predict();
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
  mode = next;
  toggle(el(`mode-${next}`), el(next === 'browser' ? 'mode-server' : 'mode-browser'));
  if (input) void predict();
}

function setMulti(next: boolean): void {
  multi = next;
  toggle(el(next ? 'read-number' : 'read-digit'), el(next ? 'read-digit' : 'read-number'));
  const [w, h] = next ? [560, 280] : [280, 280];
  overlay.width = w;
  overlay.height = h;
  el('hint').innerHTML = next ? 'Write a number here<br>or drop a PNG / JPEG' : 'Draw a digit here<br>or drop a PNG / JPEG';
  const keep = input?.kind === 'file' ? input : null;
  pad.resize(w, h);
  if (keep) {
    input = keep;
    pad.setBackground(keep.bitmap);
    updateButtons();
    void predict();
  }
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
  document.body.dataset['state'] = 'busy';
  setStatus(mode === 'browser' ? 'Reading in the browser…' : 'Asking the server…');
  const t0 = performance.now();
  try {
    const outcome = mode === 'browser' ? await inBrowser(current) : await onServer(current);
    if (id !== run) return;
    const ms = performance.now() - t0;
    const where = mode === 'browser' ? `in your browser (${(await engine).backend})` : 'on the server';
    show(outcome, `Read ${where} in ${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`);
    document.body.dataset['state'] = 'done';
  } catch (err) {
    if (id !== run) return;
    showError(message(err));
    document.body.dataset['state'] = 'error';
  }
}

async function inBrowser(current: Input): Promise<Outcome> {
  const { image, classify } = await engine;
  if (current.kind === 'file' && !current.bitmap) throw new Error(`this browser cannot decode ${current.file.name}; try "On server" to see why`);
  const pixels = current.kind === 'file' && current.bitmap ? bitmapPixels(current.bitmap) : pad.imageData();
  if (multi) {
    const r = await image.recognizeNumber(pixels, classify);
    return { text: r.digits, isDigit: r.isDigit, ...(r.reason === undefined ? {} : { reason: r.reason }), uncertain: r.uncertain, items: r.items };
  }
  const r = await image.recognizeDigit(pixels, classify);
  return single(r);
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
  const url = `/api/predict${multi ? '?multi=1' : ''}`;
  let res: Response;
  if (current.kind === 'drawing') {
    res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: await pad.toPng() });
  } else {
    const form = new FormData();
    form.append('image', current.file, current.file.name);
    res = await fetch(url, { method: 'POST', body: form });
  }
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`server said ${res.status}: ${String(body['error'] ?? res.statusText)}`);
  if (typeof body['digits'] === 'string') {
    return { text: body['digits'], isDigit: body['isDigit'] === true, ...(typeof body['reason'] === 'string' ? { reason: body['reason'] } : {}), uncertain: body['uncertain'] === true, items: body['items'] as Item[] };
  }
  return single(body as unknown as Item);
}

function single(r: Item): Outcome {
  return { text: r.digit === null ? '' : String(r.digit), isDigit: r.isDigit, ...(r.reason === undefined ? {} : { reason: r.reason }), uncertain: r.uncertain === true, items: [r] };
}

// ---- output ----

function show(outcome: Outcome, source: string): void {
  last = outcome;
  selected = 0;
  const digit = el('result-digit');
  digit.textContent = outcome.text || '?';
  digit.classList.toggle('none', !outcome.isDigit);
  const conf = outcome.items.length ? Math.min(...outcome.items.map((i) => i.confidence)) : 0;
  const noun = multi ? 'number' : 'digit';
  el('result-confidence').textContent = outcome.isDigit ? `${(conf * 100).toFixed(1)}% confident${multi && outcome.items.length > 1 ? ' (least sure digit)' : ''}${outcome.uncertain ? ', not sure' : ''}` : `Not a ${noun}`;
  el('result-reason').textContent = outcome.isDigit ? '' : (outcome.reason ?? '');
  el('result-source').textContent = source;
  const result = el('result');
  result.dataset['source'] = mode;
  result.dataset['digit'] = outcome.isDigit ? outcome.text : '';
  result.dataset['isDigit'] = String(outcome.isDigit);
  renderChips(outcome);
  renderItem();
  drawBoxes(outcome.items.map((i) => i.box));
  setStatus('');
}

function renderChips(outcome: Outcome): void {
  const chips = el('chips');
  if (!multi || outcome.items.length < 2) {
    chips.replaceChildren();
    return;
  }
  chips.replaceChildren(
    ...outcome.items.map((item, i) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = `${item.digit ?? '?'} · ${Math.round(item.confidence * 100)}%`;
      b.setAttribute('aria-pressed', String(i === selected));
      b.addEventListener('click', () => {
        selected = i;
        renderChips(outcome);
        renderItem();
      });
      return b;
    }),
  );
}

function renderItem(): void {
  const item = last?.items[selected];
  renderChart(el('chart'), item && item.probabilities.some((p) => p > 0) ? item.probabilities : null);
}

function drawBoxes(boxes: (Box | null)[]): void {
  const ctx = overlay.getContext('2d')!;
  ctx.clearRect(0, 0, overlay.width, overlay.height);
  const fit = input?.kind === 'file' ? pad.backgroundFit() : { x: 0, y: 0, scale: 1 };
  if (!fit) return;
  // Boxes of an uploaded photo are in its own pixels; the browser path may have scaled it down first.
  const bitmap = input?.kind === 'file' ? input.bitmap : null;
  const photo = bitmap && mode === 'browser' ? Math.max(1, Math.max(bitmap.width, bitmap.height) / 2048) : 1;
  ctx.strokeStyle = 'rgba(79, 70, 229, 0.85)';
  ctx.lineWidth = 2;
  for (const b of boxes) {
    if (!b) continue;
    const s = fit.scale * photo;
    ctx.strokeRect(fit.x + b.x * s - 3, fit.y + b.y * s - 3, b.width * s + 6, b.height * s + 6);
  }
}

function showIdle(): void {
  run++;
  last = null;
  el('result-digit').textContent = '–';
  el('result-digit').classList.add('none');
  el('result-confidence').textContent = multi ? 'Waiting for a number' : 'Waiting for a digit';
  el('result-reason').textContent = '';
  el('result-source').textContent = '';
  el('result').dataset['digit'] = '';
  el('chips').replaceChildren();
  renderChart(el('chart'), null);
  drawBoxes([]);
  setStatus('');
}

function showError(text: string): void {
  showIdle();
  el('result-confidence').textContent = 'Could not read the image';
  setStatus(text, true);
}

function setStatus(text: string, error = false): void {
  status.textContent = text;
  status.classList.toggle('error', error);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

renderChart(el('chart'), null);
updateButtons();
