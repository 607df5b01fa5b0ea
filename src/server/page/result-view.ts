/**
 * The Prediction card: the digits read, how sure, why not, where it was read, the per-digit
 * chips and the probability chart. It keeps what it shows as data, so a change of language
 * redraws the same answer in the new words. The summary row is an ARIA live region
 * (html.ts): a screen reader announces each new answer.
 */
import { renderChart } from './chart.js';
import type { Outcome } from './outcome.js';
import { format, type Lang, type Strings } from './strings.js';

/** Text built from the current strings when (re)drawn. */
export type Words = (s: Strings, lang: Lang) => string;

type Shown = { kind: 'idle' } | { kind: 'answer'; outcome: Outcome; source: Words } | { kind: 'error' };

const el = (id: string): HTMLElement => document.getElementById(id)!;

export class ResultView {
  private shown: Shown = { kind: 'idle' };
  private selected = 0;
  /** Reading a number (true) or one digit: the words differ. */
  multi = false;

  constructor(
    private s: Strings,
    private lang: Lang,
  ) {}

  idle(): void {
    this.show({ kind: 'idle' });
  }

  answer(outcome: Outcome, source: Words): void {
    this.selected = 0;
    this.show({ kind: 'answer', outcome, source });
  }

  error(): void {
    this.show({ kind: 'error' });
  }

  setLanguage(s: Strings, lang: Lang): void {
    this.s = s;
    this.lang = lang;
    this.render();
  }

  get outcome(): Outcome | null {
    return this.shown.kind === 'answer' ? this.shown.outcome : null;
  }

  private show(next: Shown): void {
    this.shown = next;
    this.render();
  }

  private render(): void {
    const { s, shown } = this;
    const outcome = shown.kind === 'answer' ? shown.outcome : null;
    const digit = el('result-digit');
    const text = outcome ? outcome.text || '?' : '–';
    digit.textContent = text;
    // Long numbers get a smaller face so they wrap inside the card instead of widening the page.
    if (text.length >= 7) digit.dataset['length'] = 'longer';
    else if (text.length >= 4) digit.dataset['length'] = 'long';
    else delete digit.dataset['length'];
    digit.classList.toggle('none', !outcome?.isDigit);
    el('result-confidence').textContent = this.headline(outcome);
    el('result-reason').textContent = outcome && !outcome.isDigit ? (outcome.reasonCode ? s.reasons[outcome.reasonCode] : (outcome.reason ?? '')) : '';
    el('result-source').textContent = shown.kind === 'answer' ? shown.source(s, this.lang) : '';
    const card = el('result');
    card.dataset['digit'] = outcome?.isDigit ? outcome.text : '';
    card.dataset['isDigit'] = String(outcome?.isDigit ?? false);
    this.renderChips(outcome);
    this.renderItem();
  }

  private headline(outcome: Outcome | null): string {
    const { s } = this;
    if (this.shown.kind === 'error') return s.couldNotRead;
    if (!outcome) return this.multi ? s.waitingNumber : s.waitingDigit;
    if (!outcome.isDigit) return this.multi ? s.notNumber : s.notDigit;
    const least = Math.min(...outcome.items.map((i) => i.confidence));
    let line = format(s.confident, { p: percent(least, this.lang, 1) });
    if (this.multi && outcome.items.length > 1) line += ` ${s.leastSure}`;
    if (outcome.uncertain) line += `${s.comma}${s.notSure}`;
    return line;
  }

  private renderChips(outcome: Outcome | null): void {
    const chips = el('chips');
    if (!outcome || !this.multi || outcome.items.length < 2) {
      chips.replaceChildren();
      return;
    }
    chips.replaceChildren(
      ...outcome.items.map((item, i) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = `${item.digit ?? '?'} · ${percent(item.confidence, this.lang, 0)}`;
        b.setAttribute('aria-pressed', String(i === this.selected));
        b.addEventListener('click', () => {
          this.selected = i;
          this.renderChips(outcome);
          this.renderItem();
        });
        return b;
      }),
    );
  }

  private renderItem(): void {
    const item = this.outcome?.items[this.selected] ?? null;
    renderChart(el('chart'), item && item.probabilities.some((p) => p > 0) ? item.probabilities : null, (p) => percent(p, this.lang, 0));
  }
}

export function percent(p: number, lang: Lang, digits: number): string {
  return new Intl.NumberFormat(lang, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(p);
}
