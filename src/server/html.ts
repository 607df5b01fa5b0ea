/**
 * The demo page: markup and styles. Its script is src/server/page/main.ts, compiled by tsc
 * to dist/server/page/ and served at /app/; the library itself comes from /lib/ (dist/).
 */
/** The page, its scripts and the library at `assets` (a versioned URL prefix, e.g. /v/<build>/). */
export const pageHtml = (assets: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wasmnn · handwritten digit recognizer</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%234f46e5'/%3E%3Ctext x='8' y='12.5' font-size='12' text-anchor='middle' fill='white' font-family='sans-serif'%3E7%3C/text%3E%3C/svg%3E">
<style>
  :root {
    --bg: #f4f5fb; --card: #fff; --ink: #1d2130; --muted: #6b7185; --line: #e3e5ee;
    --accent: #4f46e5; --accent-soft: #eceafd; --good: #15803d; --bad: #b42318;
    font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg);
  }
  * { box-sizing: border-box; }
  body { margin: 0; }
  header { padding: 28px 24px 8px; max-width: 1040px; margin: 0 auto; }
  header h1 { margin: 0; font-size: 1.6rem; letter-spacing: -0.01em; }
  header h1 span { color: var(--accent); }
  header p { margin: 6px 0 0; color: var(--muted); }
  main { display: grid; grid-template-columns: minmax(0, 1.15fr) minmax(0, 1fr); gap: 20px; padding: 16px 24px 40px; max-width: 1040px; margin: 0 auto; }
  @media (max-width: 800px) { main { grid-template-columns: 1fr; padding: 12px; } header { padding: 18px 12px 4px; } }
  .card { background: var(--card); border: 1px solid var(--line); border-radius: 14px; padding: 18px; box-shadow: 0 1px 2px rgba(20, 20, 50, 0.04); }
  .card h2 { margin: 0 0 12px; font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.08em; color: var(--muted); }
  .controls { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: center; margin-bottom: 12px; }
  .seg { display: inline-flex; background: var(--bg); border: 1px solid var(--line); border-radius: 10px; padding: 3px; }
  .seg button { border: 0; background: transparent; padding: 7px 12px; border-radius: 7px; font: inherit; font-size: 0.9rem; color: var(--muted); cursor: pointer; }
  .seg button[aria-pressed="true"] { background: var(--card); color: var(--ink); box-shadow: 0 1px 3px rgba(20, 20, 50, 0.12); font-weight: 600; }
  .pad-wrap { position: relative; border: 2px dashed var(--line); border-radius: 12px; overflow: hidden; background: #fff; touch-action: none; }
  .pad-wrap.dragging { border-color: var(--accent); background: var(--accent-soft); }
  .pad-wrap canvas { display: block; width: 100%; height: auto; }
  #pad { cursor: crosshair; touch-action: none; }
  #overlay { position: absolute; inset: 0; pointer-events: none; }
  .hint[hidden] { display: none; }
  .hint { position: absolute; inset: 0; display: grid; place-items: center; color: #a3a8ba; font-size: 1rem; pointer-events: none; text-align: center; padding: 12px; }
  .toolbar { display: flex; gap: 8px; margin-top: 12px; flex-wrap: wrap; }
  .btn { border: 1px solid var(--line); background: var(--card); color: var(--ink); border-radius: 9px; padding: 8px 14px; font: inherit; font-size: 0.9rem; cursor: pointer; }
  .btn:hover { border-color: #c9ccda; }
  .btn.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
  .btn:disabled { opacity: 0.45; cursor: default; }
  #file { display: none; }
  .result { display: flex; align-items: center; gap: 18px; min-height: 112px; }
  #result-digit { font-size: 5.2rem; font-weight: 700; line-height: 1; min-width: 1.2ch; color: var(--accent); font-variant-numeric: tabular-nums; letter-spacing: 0.04em; }
  #result-digit.none { color: #c3c6d4; }
  .result-text { display: flex; flex-direction: column; gap: 4px; }
  #result-confidence { font-size: 1.15rem; font-weight: 600; }
  #result-reason { color: var(--bad); font-size: 0.92rem; }
  #result-source { color: var(--muted); font-size: 0.85rem; }
  .chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 12px 0 0; }
  .chips button { border: 1px solid var(--line); background: var(--bg); border-radius: 8px; padding: 4px 10px; font: inherit; cursor: pointer; font-variant-numeric: tabular-nums; }
  .chips button[aria-pressed="true"] { border-color: var(--accent); background: var(--accent-soft); }
  #chart { display: grid; grid-template-columns: repeat(10, 1fr); gap: 6px; align-items: end; height: 190px; margin-top: 18px; }
  .bar { display: flex; flex-direction: column; align-items: center; justify-content: flex-end; height: 100%; gap: 4px; }
  .bar .track { flex: 1; width: 100%; display: flex; align-items: flex-end; justify-content: center; }
  .bar .fill { width: 100%; max-width: 34px; background: #cfd3e6; border-radius: 5px 5px 2px 2px; min-height: 2px; transition: height 0.25s ease; }
  .bar.top .fill { background: var(--accent); }
  .bar .pct { font-size: 0.68rem; color: var(--muted); font-variant-numeric: tabular-nums; }
  .bar .label { font-weight: 600; font-variant-numeric: tabular-nums; }
  #status { margin-top: 16px; font-size: 0.85rem; color: var(--muted); min-height: 1.2em; }
  #status.error { color: var(--bad); }
  footer { max-width: 1040px; margin: 0 auto; padding: 0 24px 32px; color: var(--muted); font-size: 0.82rem; }
  code { background: var(--bg); border: 1px solid var(--line); border-radius: 5px; padding: 0 4px; }
</style>
</head>
<body data-state="loading">
<header>
  <h1><span>wasmnn</span> · handwritten digit recognizer</h1>
  <p>Draw a digit (mouse, pen or finger) or drop a photo. A small CNN (72k parameters) reads it, in your browser with WebAssembly or on the server.</p>
</header>
<main>
  <section class="card" aria-label="Input">
    <h2>Input</h2>
    <div class="controls">
      <div class="seg" role="group" aria-label="Where the model runs">
        <button id="mode-browser" type="button" aria-pressed="true">In browser</button>
        <button id="mode-server" type="button" aria-pressed="false">On server</button>
      </div>
      <div class="seg" role="group" aria-label="What to read">
        <button id="read-digit" type="button" aria-pressed="true">One digit</button>
        <button id="read-number" type="button" aria-pressed="false">A number</button>
      </div>
    </div>
    <div class="pad-wrap" id="pad-wrap">
      <canvas id="pad" width="280" height="280" aria-label="Drawing area"></canvas>
      <canvas id="overlay" width="280" height="280"></canvas>
      <div class="hint" id="hint">Draw a digit here<br>or drop a PNG / JPEG</div>
    </div>
    <div class="toolbar">
      <button class="btn" id="undo" type="button" disabled>Undo</button>
      <button class="btn" id="clear" type="button" disabled>Clear</button>
      <button class="btn primary" id="upload" type="button">Upload image…</button>
      <input id="file" type="file" accept="image/png,image/jpeg">
    </div>
  </section>
  <section class="card" aria-label="Prediction" id="result" data-source="" data-digit="">
    <h2>Prediction</h2>
    <div class="result">
      <div id="result-digit" class="none">–</div>
      <div class="result-text">
        <div id="result-confidence">Waiting for a digit</div>
        <div id="result-reason"></div>
        <div id="result-source"></div>
      </div>
    </div>
    <div class="chips" id="chips"></div>
    <div id="chart" role="img" aria-label="Probabilities of the digits 0 to 9"></div>
    <div id="status" role="status">Loading the model…</div>
  </section>
</main>
<footer>API: <code>POST /api/predict</code> with a PNG/JPEG body or a multipart upload (<code>?multi=1</code> reads a number) · <code>GET /healthz</code></footer>
<link rel="modulepreload" href="${assets}lib/index.js">
<script type="module" src="${assets}app/main.js"></script>
</body>
</html>
`;
