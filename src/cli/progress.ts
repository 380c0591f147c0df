import type { ImportProgress } from '../ingest/import-file.ts';

const clock = (seconds: number): string => {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** A one-line progress bar with rate and ETA, drawn only on a terminal and at most a few times a second. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr) {
  const started = performance.now();
  let drawn = 0;
  return {
    update(p: ImportProgress, force = false) {
      if (!stream.isTTY) return;
      const now = performance.now();
      if (!force && now - drawn < 200) return;
      drawn = now;
      const seconds = (now - started) / 1000;
      const share = p.bytes_total > 0 ? p.bytes_read / p.bytes_total : 1;
      const width = 24;
      const filled = Math.round(share * width);
      const rate = p.lines / Math.max(seconds, 1e-3);
      const eta = share > 0 ? seconds * (1 / share - 1) : 0;
      stream.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ` +
          `${p.lines.toLocaleString('en')} lines  ${Math.round(rate).toLocaleString('en')}/s  ETA ${clock(eta)}  `,
      );
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
