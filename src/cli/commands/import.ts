import type { Command } from 'commander';
import { importFile } from '../../ingest/import-file.ts';
import type { FileFormat } from '../../ingest/records.ts';
import { progressBar } from '../progress.ts';
import { withStore } from '../context.ts';

export function importCommand(program: Command): void {
  program
    .command('import')
    .description('Import events from a JSONL or CSV file (streamed; bad lines go to a rejects file)')
    .argument('<file>', 'events, one JSON object per line (.jsonl) or CSV with a header (.csv)')
    .option('--format <format>', 'jsonl or csv (default: by file extension)')
    .option('--rejects <file>', 'where rejected lines are written (default: <file>.rejects.jsonl)')
    .option('--batch <n>', 'events per database transaction', (v) => Number.parseInt(v, 10), 5000)
    .action(async (file: string, opts: { format?: FileFormat; rejects?: string; batch: number }) => {
      if (opts.format && opts.format !== 'jsonl' && opts.format !== 'csv') throw new Error('--format must be jsonl or csv');
      if (!Number.isInteger(opts.batch) || opts.batch < 1 || opts.batch > 50_000) throw new Error('--batch must be 1..50000');
      await withStore(async (db, config) => {
        const bar = progressBar();
        const started = performance.now();
        const summary = await importFile(db, file, {
          format: opts.format,
          rejectsPath: opts.rejects,
          batchSize: opts.batch,
          unknownIdentity: config.unknownIdentity,
          now: new Date(),
          onProgress: (p) => bar.update(p),
        });
        bar.done();
        const seconds = (performance.now() - started) / 1000;
        const total = summary.stored + summary.already_present + summary.rejected;
        console.log(
          `stored ${summary.stored}, already present ${summary.already_present}, rejected ${summary.rejected} ` +
            `in ${seconds.toFixed(1)} s (${Math.round(total / seconds)} lines/s)`,
        );
        if (summary.rejects_path) console.log(`rejected lines: ${summary.rejects_path}`);
      });
    });
}
