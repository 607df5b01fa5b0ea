/**
 * "Teach it your handwriting": the page's teach panel. The person draws each digit a few times as
 * asked (teach-session.ts), a worker fine-tunes the served model on them (teach-worker.ts), and
 * the personal model it saves in IndexedDB (teach-store.ts) reads "In browser" from then on, also
 * after a reload, until the person goes back to the shipped model. Export and import move it as
 * files. Nothing leaves the browser: the samples and the model stay in this page and its worker.
 */
import type { Engine } from './engine.js';
import type { Core, Image } from './lib.js';
import { DrawingPad } from './pad.js';
import { format, type Lang, type Strings } from './strings.js';
import { TEACH_CSS, TEACH_HTML } from './teach-markup.js';
import type { TeachReply, TeachRequest } from './teach-protocol.js';
import { TeachSession } from './teach-session.js';
import { checkCompatible, forgetPersonal, loadPersonal, PERSONAL_MODEL } from './teach-store.js';

type Model = Awaited<ReturnType<typeof Core.loadModel>>;
type Library = { core: typeof Core; image: typeof Image };
type Words = (s: Strings['teach'], lang: Lang) => string;

const MODEL_DIR = '/model/';
const EXPORT_NAME = 'downloads://wasmnn-my-handwriting';

const el = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

export class TeachPanel {
  private readonly session = new TeachSession();
  private readonly pad: DrawingPad;
  private personal: Model | null = null;
  private shippedClassify: Image.Classify | null = null;
  private status: { words: Words; error: boolean } | null = null;
  private result: Words | null = null;
  private training = false;
  /** Ends the training under way (its worker) without saving anything; null when none runs. */
  private cancelTraining: (() => void) | null = null;

  constructor(
    private readonly engine: Promise<Engine>,
    private readonly library: Promise<Library>,
    private readonly language: { lang: Lang; s: Strings },
  ) {
    const style = document.createElement('style');
    style.textContent = TEACH_CSS;
    document.head.append(style);
    el('teach').innerHTML = TEACH_HTML;
    this.pad = new DrawingPad(el<HTMLCanvasElement>('teach-pad'));
    this.pad.onChange = () => this.render();
    el('teach-start').addEventListener('click', () => this.start());
    el('teach-add').addEventListener('click', () => void this.add());
    el('teach-clear').addEventListener('click', () => this.pad.clear());
    el('teach-undo').addEventListener('click', () => this.step(() => this.session.undo()));
    el('teach-redo').addEventListener('click', () => this.step(() => this.session.redo()));
    el('teach-train').addEventListener('click', () => void this.train());
    el('teach-cancel').addEventListener('click', () => this.cancelTraining?.());
    el('teach-reset').addEventListener('click', () => void this.reset());
    el('teach-export').addEventListener('click', () => void this.personal?.save(EXPORT_NAME));
    el('teach-import').addEventListener('click', () => el<HTMLInputElement>('teach-import-file').click());
    el<HTMLInputElement>('teach-import-file').addEventListener('change', (e) => {
      const input = e.target as HTMLInputElement;
      const files = Array.from(input.files ?? []);
      input.value = '';
      if (files.length) void this.import(files);
    });
    this.render();
    void this.restore();
  }

  /** Redraws every text in the current language and every button's state. */
  render(): void {
    const t = this.language.s.teach;
    const lang = this.language.lang;
    el('teach-heading').textContent = t.heading;
    el('teach-intro').textContent = t.intro;
    el('teach-using').textContent = this.personal ? t.usingPersonal : t.usingShipped;
    el('teach-reset').textContent = t.reset;
    el('teach-export').textContent = t.export;
    el('teach-import').textContent = t.import;
    el('teach-start').textContent = t.start;
    el('teach-pad').setAttribute('aria-label', t.padLabel);
    const next = this.session.nextDigit;
    el('teach-prompt').textContent = next === null ? t.allDrawn : t.prompt;
    el('teach-digit').textContent = next === null ? '' : String(next);
    el('teach-count').textContent = format(t.progress, { n: Math.min(this.session.count + 1, this.session.total), total: this.session.total });
    el<HTMLProgressElement>('teach-samples').value = this.session.count;
    el('teach-add').textContent = t.add;
    el('teach-clear').textContent = this.language.s.clear;
    el('teach-undo').textContent = t.undoSample;
    el('teach-redo').textContent = t.redoSample;
    el('teach-train').textContent = t.train;
    el('teach-cancel').textContent = t.cancel;
    el('teach-cancel').hidden = this.cancelTraining === null;
    const button = (id: string, enabled: boolean): void => void (el<HTMLButtonElement>(id).disabled = !enabled);
    button('teach-reset', this.personal !== null && !this.training);
    button('teach-export', this.personal !== null);
    button('teach-import', !this.training);
    button('teach-add', next !== null && this.pad.hasStrokes && !this.training);
    button('teach-clear', this.pad.hasStrokes);
    button('teach-undo', this.session.canUndo && !this.training);
    button('teach-redo', this.session.canRedo && !this.training);
    button('teach-train', this.session.complete && !this.training);
    const status = el('teach-status');
    status.textContent = this.status ? this.status.words(t, lang) : '';
    status.classList.toggle('error', this.status?.error ?? false);
    el('teach-result').textContent = this.result ? this.result(t, lang) : '';
    document.body.dataset['model'] = this.personal ? 'personal' : 'shipped';
  }

  private start(): void {
    el('teach-start').hidden = true;
    el('teach-draw').hidden = false;
    this.render();
  }

  /** The drawing becomes the next sample: preprocessed as the reader does, then the pad is cleared. */
  private async add(): Promise<void> {
    const { image } = await this.library;
    const pre = image.preprocessDigit(this.pad.imageData());
    if (!pre.box) return this.say((t) => t.drawFirst, true);
    this.session.add(pre.input);
    this.status = null;
    this.pad.clear();
  }

  private step(change: () => void): void {
    change();
    this.render();
  }

  private async train(): Promise<void> {
    this.training = true;
    this.result = null;
    const progress = el<HTMLProgressElement>('teach-training');
    progress.hidden = false;
    progress.value = 0;
    const percent = (p: number, lang: Lang): string => new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(p);
    this.say((t, lang) => format(t.training, { p: percent(0, lang) }));
    const worker = new Worker(new URL('./teach-worker.js', import.meta.url), { type: 'module' });
    try {
      const reply = await new Promise<Extract<TeachReply, { kind: 'done' }>>((resolve, reject) => {
        worker.addEventListener('message', (e: MessageEvent<TeachReply>) => {
          const m = e.data;
          if (m.kind === 'progress') {
            progress.value = m.done;
            this.say((t, lang) => format(t.training, { p: percent(m.done, lang) }));
          } else if (m.kind === 'saving') {
            this.cancelTraining = null;
            this.render();
          } else if (m.kind === 'done') resolve(m);
          else reject(new Error(m.message));
        });
        worker.addEventListener('error', (e) => reject(new Error(e.message || 'the worker did not start')));
        // The worker saves the personal model only after training, in one IndexedDB transaction,
        // and says so first ('saving', which ends this): ending it before leaves the model in use
        // (shipped or an earlier personal one) as it was; a save it interrupts does not commit.
        this.cancelTraining = () => {
          worker.terminate();
          reject(new TrainingCancelled());
        };
        this.render();
        const request: TeachRequest = { modelDir: new URL(MODEL_DIR, location.href).href, ...this.session.split() };
        worker.postMessage(request);
      });
      const { core } = await this.library;
      await this.use(await core.loadModel(PERSONAL_MODEL));
      const { before, after } = reply;
      this.result = (t, lang) => format(t.result, { n: after.total, before: percent(before.accuracy, lang), after: percent(after.accuracy, lang) });
      this.status = null;
      // For tests and tools: the held-out accuracies shown in the sentence above.
      Object.assign(el('teach-result').dataset, { before: String(before.accuracy), after: String(after.accuracy) });
      document.body.dataset['teach'] = 'trained';
    } catch (err) {
      if (err instanceof TrainingCancelled) this.say((t) => t.cancelled);
      else this.say((t) => format(t.failed, { why: message(err) }), true);
    } finally {
      worker.terminate();
      this.cancelTraining = null;
      this.training = false;
      progress.hidden = true;
      this.render();
    }
  }

  /** A personal model saved on an earlier visit reads from the start. */
  private async restore(): Promise<void> {
    try {
      const { core } = await this.library;
      const saved = await loadPersonal(core);
      if (saved) await this.use(saved);
    } catch (err) {
      // No IndexedDB (a private window may refuse it): the shipped model reads, as before.
      console.warn('wasmnn page: no personal model could be read from IndexedDB.', err);
    }
  }

  /** Reads "In browser" with `model` from now on. */
  private async use(model: Model): Promise<void> {
    const [engine, { core, image }] = await Promise.all([this.engine, this.library]);
    this.shippedClassify ??= engine.classify;
    this.personal?.dispose();
    this.personal = model;
    engine.classify = async (inputs, n) => (await model.predict(core.tensor(inputs, [n, image.MNIST_SIZE, image.MNIST_SIZE, 1]))).data;
    this.render();
  }

  private async reset(): Promise<void> {
    const [engine, { core }] = await Promise.all([this.engine, this.library]);
    await forgetPersonal(core);
    if (this.shippedClassify) engine.classify = this.shippedClassify;
    this.personal?.dispose();
    this.personal = null;
    this.result = null;
    this.status = null;
    this.render();
  }

  /** model.json and its weights file(s), as Export downloads them. */
  private async import(files: File[]): Promise<void> {
    try {
      const [engine, { core }] = await Promise.all([this.engine, this.library]);
      const model = await core.loadModel(files);
      // The page reads 28x28 inputs and knows the served model's classes by asking it once.
      const classes = (await (this.shippedClassify ?? engine.classify)(new Float32Array(784), 1)).length;
      checkCompatible(model, classes);
      await model.save(PERSONAL_MODEL);
      await this.use(model);
      this.status = null;
    } catch (err) {
      this.say((t) => format(t.importFailed, { why: message(err) }), true);
    }
  }

  private say(words: Words, error = false): void {
    this.status = { words, error };
    this.render();
  }
}

class TrainingCancelled extends Error {}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
