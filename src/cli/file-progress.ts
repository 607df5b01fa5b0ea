/**
 * Progress of `wasmnn predict` over many files, on stderr: a bar redrawn in place on a terminal,
 * else a plain line at every tenth of the files (logs and CI keep them readable).
 */
export interface FileProgress {
  tick(failed: boolean): void;
  done(): void;
}

export function fileProgress(total: number, stream: NodeJS.WriteStream = process.stderr): FileProgress {
  const t0 = performance.now();
  let count = 0;
  let failures = 0;
  let lastDraw = 0;
  let nextLine = 0.1;
  const status = (): string => {
    const seconds = (performance.now() - t0) / 1000;
    const rate = seconds > 0 ? count / seconds : 0;
    return `${count}/${total} files (${Math.floor((100 * count) / Math.max(1, total))}%), ${rate.toFixed(rate < 10 ? 1 : 0)} files/s, ${failures} failed`;
  };
  const draw = (): void => {
    const width = 30;
    const filled = Math.round((width * count) / Math.max(1, total));
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${status()}\x1b[K`);
  };
  return {
    tick(failed) {
      count++;
      if (failed) failures++;
      if (stream.isTTY) {
        const now = performance.now();
        if (now - lastDraw > 100 || count === total) {
          lastDraw = now;
          draw();
        }
      } else if (count >= nextLine * total || count === total) {
        while (nextLine * total <= count) nextLine += 0.1;
        stream.write(`predict: ${status()}\n`);
      }
    },
    done() {
      if (stream.isTTY && total > 0) stream.write('\n');
    },
  };
}
