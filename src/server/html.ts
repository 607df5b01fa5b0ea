/**
 * The demo page: markup and styles, its text from the English strings table (the page's script
 * swaps in the reader's language: page/i18n.ts). Its script is src/server/page/main.ts, compiled
 * by tsc to dist/server/page/; `assets` is the URL prefix its scripts and the library are served
 * under (a versioned one, so they can be cached for good).
 */
import { ACCEPTED_TYPES } from './page/image-file.js';
import { LANGUAGES, STRINGS, type TextKey } from './page/strings.js';

const en = STRINGS.en;

const escape = (text: string): string => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
/** Text that follows the language: the element's content and its data-i18n key. */
const t = (key: TextKey): string => `data-i18n="${key}">${escape(en[key])}`;
/** An aria-label that follows the language. */
const label = (key: TextKey): string => `aria-label="${escape(en[key])}" data-i18n-label="${key}"`;

const languageOptions = Object.entries(LANGUAGES)
  .map(([code, { name }]) => `<option value="${code}" lang="${code}"${code === 'en' ? ' selected' : ''}>${escape(name)}</option>`)
  .join('');

/** The page, its scripts and the library at `assets` (e.g. /v/<build>/). */
export const pageHtml = (assets: string): string => `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(en.title)}</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%234f46e5'/%3E%3Ctext x='8' y='12.5' font-size='12' text-anchor='middle' fill='white' font-family='sans-serif'%3E7%3C/text%3E%3C/svg%3E">
<link rel="modulepreload" href="${assets}lib/index.js">
<style>
  :root {
    --bg: #f4f5fb; --card: #fff; --ink: #1d2130; --muted: #6b7185; --line: #e3e5ee;
    --accent: #4f46e5; --accent-soft: #eceafd; --good: #15803d; --bad: #b42318;
    /* Room the page needs around the pad (header, controls, toolbar): the pad shrinks to leave it on screen. */
    --chrome: 290px;
    font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans Arabic", Tahoma, sans-serif; color: var(--ink); background: var(--bg);
  }
  * { box-sizing: border-box; }
  body { margin: 0; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  header { padding: 16px 24px 4px; max-width: 1160px; margin: 0 auto; }
  .title-row { display: flex; align-items: center; justify-content: space-between; gap: 12px; }
  header h1 { margin: 0; font-size: 1.5rem; letter-spacing: -0.01em; }
  header h1 .brand { color: var(--accent); }
  header p { margin: 4px 0 0; color: var(--muted); }
  #language { min-height: 44px; padding: 0 10px; border: 1px solid var(--line); border-radius: 9px; background: var(--card); color: var(--ink); font: inherit; font-size: 0.9rem; }
  main { display: grid; grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr); gap: 20px; align-items: start; padding: 12px 24px 32px; max-width: 1160px; margin: 0 auto; }
  .card { background: var(--card); border: 1px solid var(--line); border-radius: 14px; padding: 16px; box-shadow: 0 1px 2px rgba(20, 20, 50, 0.04); min-width: 0; }
  .card h2 { margin: 0 0 10px; font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.08em; color: var(--muted); }
  .controls { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; margin-bottom: 10px; }
  .seg { display: inline-flex; background: var(--bg); border: 1px solid var(--line); border-radius: 10px; padding: 2px; }
  .seg button { min-height: 44px; min-width: 44px; border: 0; background: transparent; padding: 0 12px; border-radius: 8px; font: inherit; font-size: 0.9rem; color: var(--muted); cursor: pointer; }
  .seg button[aria-pressed="true"] { background: var(--card); color: var(--ink); box-shadow: 0 1px 3px rgba(20, 20, 50, 0.12); font-weight: 600; }
  .seg button:disabled { opacity: 0.45; cursor: not-allowed; }
  .pad-wrap { --ratio: 1; position: relative; width: 100%; max-width: max(220px, calc((100vh - var(--chrome)) * var(--ratio))); margin-inline: auto;
    border: 2px dashed var(--line); border-radius: 12px; overflow: hidden; background: #fff; touch-action: none; }
  .pad-wrap.wide { --ratio: 2; }
  .pad-wrap.dragging { border-color: var(--accent); background: var(--accent-soft); }
  .pad-wrap.refused { border-color: var(--bad); }
  .pad-wrap canvas { display: block; width: 100%; height: auto; }
  #pad { cursor: crosshair; touch-action: none; }
  #overlay { position: absolute; inset: 0; pointer-events: none; }
  .hint, .busy, .drop-note { position: absolute; inset: 0; display: grid; place-content: center; justify-items: center; gap: 4px; text-align: center; padding: 12px; pointer-events: none; }
  .hint { color: #6f7589; }
  .busy { background: rgba(255, 255, 255, 0.8); color: var(--ink); font-weight: 600; }
  .drop-note { background: rgba(255, 255, 255, 0.85); font-weight: 600; color: var(--accent); }
  .pad-wrap.refused .drop-note { color: var(--bad); }
  .hint[hidden], .busy[hidden], .drop-note[hidden] { display: none; }
  .spinner { width: 28px; height: 28px; border: 3px solid var(--accent-soft); border-top-color: var(--accent); border-radius: 50%; animation: spin 0.8s linear infinite; }
  @keyframes spin { to { transform: rotate(360deg); } }
  @media (prefers-reduced-motion: reduce) { .spinner { animation-duration: 2.4s; } }
  .toolbar { display: flex; gap: 8px; margin-top: 10px; flex-wrap: wrap; align-items: center; }
  .btn { min-height: 44px; min-width: 44px; border: 1px solid var(--line); background: var(--card); color: var(--ink); border-radius: 9px; padding: 0 14px; font: inherit; font-size: 0.9rem; cursor: pointer; }
  .btn:hover { border-color: #c9ccda; }
  .btn.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
  .btn:disabled { opacity: 0.45; cursor: default; }
  .formats { color: var(--muted); font-size: 0.8rem; }
  #file { display: none; }
  .result { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 18px; min-height: 96px; }
  #result-digit { font-size: 5rem; font-weight: 700; line-height: 1; max-width: 100%; overflow-wrap: anywhere; color: var(--accent); font-variant-numeric: tabular-nums; letter-spacing: 0.04em; direction: ltr; unicode-bidi: isolate; }
  #result-digit[data-length="long"] { font-size: 3.2rem; }
  #result-digit[data-length="longer"] { font-size: 2.2rem; }
  #result-digit.none { color: #c3c6d4; }
  .result-text { flex: 1 1 11rem; min-width: 0; display: flex; flex-direction: column; gap: 4px; }
  #result-confidence { font-size: 1.1rem; font-weight: 600; }
  #result-reason { color: var(--bad); font-size: 0.92rem; }
  #result-source { color: var(--muted); font-size: 0.85rem; margin-top: 6px; min-height: 1.2em; }
  .chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 10px 0 0; direction: ltr; }
  .chips button { min-height: 44px; min-width: 44px; border: 1px solid var(--line); background: var(--bg); border-radius: 8px; padding: 0 10px; font: inherit; cursor: pointer; font-variant-numeric: tabular-nums; }
  .chips button[aria-pressed="true"] { border-color: var(--accent); background: var(--accent-soft); }
  /* Digits 0-9 read left to right in every language, as on a ruler. */
  #chart { display: grid; grid-template-columns: repeat(10, 1fr); gap: 6px; align-items: end; height: 180px; margin-top: 14px; direction: ltr; }
  .bar { display: flex; flex-direction: column; align-items: center; justify-content: flex-end; height: 100%; gap: 4px; min-width: 0; }
  .bar .track { flex: 1; width: 100%; display: flex; align-items: flex-end; justify-content: center; }
  .bar .fill { width: 100%; max-width: 34px; background: #cfd3e6; border-radius: 5px 5px 2px 2px; min-height: 2px; transition: height 0.25s ease; }
  .bar.top .fill { background: var(--accent); }
  .bar .pct { font-size: 0.68rem; color: var(--muted); font-variant-numeric: tabular-nums; }
  .bar .label { font-weight: 600; font-variant-numeric: tabular-nums; }
  #status { margin-top: 14px; font-size: 0.85rem; color: var(--muted); min-height: 1.2em; }
  #status.error { color: var(--bad); }
  footer { max-width: 1160px; margin: 0 auto; padding: 0 24px 32px; color: var(--muted); font-size: 0.82rem; }
  code { background: var(--bg); border: 1px solid var(--line); border-radius: 5px; padding: 0 4px; direction: ltr; unicode-bidi: isolate; }
  /* Large screens: a larger type and a wider page, rather than a small island in the middle. */
  @media (min-width: 1800px) and (min-height: 1000px) {
    :root { font-size: 20px; --chrome: 360px; }
    header, main, footer { max-width: 1500px; }
    #chart { height: 240px; }
  }
  /* Two narrow columns: the controls wrap to two rows, so the pad leaves them more room. */
  @media (min-width: 641px) and (max-width: 900px) { :root { --chrome: 350px; } }
  @media (max-width: 640px) {
    header { padding: 10px 10px 0; }
    header h1 { font-size: 1.1rem; }
    header p { font-size: 0.85rem; }
    main { grid-template-columns: 1fr; gap: 10px; padding: 8px 10px 24px; }
    .card { padding: 12px; }
    .card h2 { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    .result { min-height: 64px; }
    #result-digit { font-size: 3.6rem; }
    #result-digit[data-length="long"] { font-size: 2.4rem; }
    #result-digit[data-length="longer"] { font-size: 1.7rem; }
    #chart { height: 130px; }
    footer { padding: 0 10px 24px; }
  }
</style>
</head>
<body data-state="loading">
<header>
  <div class="title-row">
    <h1><span class="brand">wasmnn</span> · <span ${t('heading')}</span></h1>
    <label><span class="sr-only" ${t('language')}</span><select id="language">${languageOptions}</select></label>
  </div>
  <p ${t('intro')}</p>
</header>
<main>
  <section class="card" aria-labelledby="input-heading">
    <h2 id="input-heading" ${t('inputHeading')}</h2>
    <div class="controls">
      <div class="seg" role="group" ${label('whereRuns')}>
        <button id="mode-browser" type="button" aria-pressed="true" ${t('inBrowser')}</button>
        <button id="mode-server" type="button" aria-pressed="false" ${t('onServer')}</button>
      </div>
      <div class="seg" role="group" ${label('whatToRead')}>
        <button id="read-digit" type="button" aria-pressed="true" ${t('oneDigit')}</button>
        <button id="read-number" type="button" aria-pressed="false" ${t('aNumber')}</button>
      </div>
    </div>
    <div class="pad-wrap" id="pad-wrap">
      <canvas id="pad" width="280" height="280" ${label('padLabel')}></canvas>
      <canvas id="overlay" width="280" height="280"></canvas>
      <div class="hint" id="hint"><span id="hint-main">${escape(en.hintDigit)}</span><span ${t('hintDrop')}</span></div>
      <div class="drop-note" id="drop-note" hidden></div>
      <div class="busy" id="busy" hidden><span class="spinner"></span><span ${t('openingImage')}</span></div>
    </div>
    <div class="toolbar">
      <button class="btn" id="undo" type="button" disabled ${t('undo')}</button>
      <button class="btn" id="clear" type="button" disabled ${t('clear')}</button>
      <button class="btn primary" id="upload" type="button" ${t('upload')}</button>
      <span class="formats" ${t('formats')}</span>
      <input id="file" type="file" accept="${ACCEPTED_TYPES.join(',')}">
    </div>
  </section>
  <section class="card" aria-labelledby="output-heading" id="result" data-source="" data-digit="">
    <h2 id="output-heading" ${t('outputHeading')}</h2>
    <div class="result" id="result-summary" aria-live="polite" aria-atomic="true">
      <div id="result-digit" class="none">–</div>
      <div class="result-text">
        <div id="result-confidence">${escape(en.waitingDigit)}</div>
        <div id="result-reason"></div>
      </div>
    </div>
    <div id="result-source"></div>
    <div class="chips" id="chips"></div>
    <div id="chart" role="img" ${label('chartLabel')}></div>
    <div id="status" role="status">${escape(en.loadingModel)}</div>
  </section>
  <section class="card" id="teach" aria-labelledby="teach-heading"></section>
</main>
<footer><span ${t('apiPrograms')}</span> <code>POST /api/predict</code> <span ${t('apiBody')}</span> <code>?multi=1</code> <span ${t('apiMulti')}</span> · <code>GET /healthz</code></footer>
<script type="module" src="${assets}app/main.js"></script>
</body>
</html>
`;
