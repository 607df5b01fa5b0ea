/** The ten-bar chart of class probabilities. */

/** `percent` formats a probability for the page's language. */
export function renderChart(container: HTMLElement, probabilities: readonly number[] | null, percent: (p: number) => string): void {
  const top = probabilities ? probabilities.indexOf(Math.max(...probabilities)) : -1;
  const bars = Array.from({ length: 10 }, (_, digit) => {
    const p = probabilities?.[digit] ?? 0;
    const bar = document.createElement('div');
    bar.className = digit === top && p > 0 ? 'bar top' : 'bar';
    bar.dataset['digit'] = String(digit);
    bar.title = `${digit}: ${(p * 100).toFixed(2)}%`;
    const pct = document.createElement('span');
    pct.className = 'pct';
    pct.textContent = probabilities ? percent(p) : '';
    const fill = document.createElement('div');
    fill.className = 'fill';
    fill.style.height = `${(p * 100).toFixed(1)}%`;
    const label = document.createElement('span');
    label.className = 'label';
    label.textContent = String(digit);
    const track = document.createElement('div');
    track.className = 'track';
    track.append(fill);
    bar.append(pct, track, label);
    return bar;
  });
  container.replaceChildren(...bars);
}
