/**
 * The teach panel's markup and styles, filled into the page's empty `#teach` card by teach.ts
 * (texts are set by teach.ts in the reader's language). The styles reuse the page's variables
 * and classes (.btn, .toolbar, .pad-wrap) from html.ts.
 */
export const TEACH_CSS = `
  #teach { grid-column: 1 / -1; }
  #teach .teach-intro { margin: 0 0 10px; color: var(--muted); }
  #teach .teach-model { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 10px; }
  #teach .teach-model > span { flex: 1 1 14rem; font-weight: 600; }
  #teach .teach-draw { display: grid; grid-template-columns: minmax(0, 280px) minmax(0, 1fr); gap: 8px 20px; align-items: start; }
  #teach .teach-draw[hidden], #teach progress[hidden] { display: none; }
  #teach .teach-pad { grid-row: span 3; max-width: 280px; margin: 0; }
  #teach .teach-prompt { font-size: 1.15rem; font-weight: 600; }
  #teach .teach-digit { display: inline-block; min-width: 1.2em; font-size: 3rem; line-height: 1; color: var(--accent); font-variant-numeric: tabular-nums; direction: ltr; unicode-bidi: isolate; vertical-align: middle; }
  #teach progress { width: 100%; height: 10px; accent-color: var(--accent); }
  #teach .teach-status { margin-top: 10px; min-height: 1.2em; font-size: 0.92rem; }
  #teach .teach-status.error { color: var(--bad); }
  #teach .teach-result { font-weight: 600; color: var(--good); }
  #teach-import-file { display: none; }
  @media (max-width: 640px) {
    /* The page hides the other cards' headings on phones; this card needs its name. */
    #teach h2 { position: static; width: auto; height: auto; overflow: visible; clip: auto; }
    #teach .teach-draw { grid-template-columns: 1fr; }
    #teach .teach-pad { grid-row: auto; margin-inline: auto; width: 100%; }
    /* One column: what to draw comes before the pad. */
    #teach .teach-prompt { order: -1; }
  }
`;

export const TEACH_HTML = `
  <h2 id="teach-heading"></h2>
  <p class="teach-intro" id="teach-intro"></p>
  <div class="teach-model">
    <span id="teach-using"></span>
    <button class="btn" id="teach-reset" type="button"></button>
    <button class="btn" id="teach-export" type="button"></button>
    <button class="btn" id="teach-import" type="button"></button>
    <input id="teach-import-file" type="file" multiple accept=".json,.bin,application/json,application/octet-stream">
  </div>
  <button class="btn primary" id="teach-start" type="button"></button>
  <div class="teach-draw" id="teach-draw" hidden>
    <div class="pad-wrap teach-pad"><canvas id="teach-pad" width="280" height="280"></canvas></div>
    <div class="teach-prompt"><span id="teach-prompt"></span> <span class="teach-digit" id="teach-digit"></span></div>
    <div><div id="teach-count"></div><progress id="teach-samples" max="50" value="0"></progress></div>
    <div>
      <div class="toolbar">
        <button class="btn primary" id="teach-add" type="button"></button>
        <button class="btn" id="teach-clear" type="button"></button>
        <button class="btn" id="teach-undo" type="button"></button>
        <button class="btn" id="teach-redo" type="button"></button>
      </div>
      <div class="toolbar">
        <button class="btn primary" id="teach-train" type="button" disabled></button>
        <button class="btn" id="teach-cancel" type="button" hidden></button>
      </div>
      <progress id="teach-training" max="1" value="0" hidden></progress>
    </div>
  </div>
  <div class="teach-status" id="teach-status" role="status" aria-live="polite"></div>
  <div class="teach-result" id="teach-result" aria-live="polite"></div>
`;
