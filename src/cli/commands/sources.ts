import type { Command } from 'commander';
import { invalid } from '../../errors.ts';
import { sourceStatus } from '../../sources/deliveries.ts';
import { SOURCE_KINDS, type Source, hookPath, listSources, registerSource, rotateSecret, updateSource } from '../../sources/registry.ts';
import { cliActor, printJson, withStore } from '../context.ts';
import { discourseCommand } from './sources-discourse.ts';

const when = (d: Date | null): string => (d ? d.toISOString() : 'never');

function parseSettings(value: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw invalid([{ field: '--settings', reason: 'must be a JSON object' }]);
}

function parseChats(value: string): number[] {
  const chats = value.split(',').map((c) => Number(c.trim()));
  if (chats.some((c) => !Number.isSafeInteger(c))) throw invalid([{ field: '--chats', reason: 'must be comma-separated chat ids, like -1001234567890' }]);
  return chats;
}

/** What the operator does next with a fresh secret, per kind. */
function nextStep(source: Source): string {
  const hook = hookPath(source);
  if (source.kind === 'telegram') {
    return `point the bot at it (secret_token must be this secret):\n  curl "https://api.telegram.org/bot<TOKEN>/setWebhook" -d url=https://<vklad-host>${hook} -d secret_token=${source.secret} -d 'allowed_updates=["message"]'`;
  }
  if (hook) return `the sender signs each POST to https://<vklad-host>${hook} (see docs/sources.md)`;
  return 'give the secret to the sender (see docs/sources.md)';
}

/** `vklad sources ...`; returns the `sources` command so other kinds can attach their own subcommands. */
export function sourcesCommand(program: Command): Command {
  const sources = program.command('sources').description('Places members act in: register them, see what they sent, rotate secrets');

  sources
    .command('list')
    .description('registered sources with their counts')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) =>
      withStore(async (db) => {
        const all = await listSources(db);
        const rows = [];
        for (const s of all) rows.push({ source: s, status: await sourceStatus(db, s.name) });
        if (opts.json) return printJson(rows.map(({ source: { secret: _secret, ...s }, status }) => ({ ...s, hook: hookPath(s), status })));
        if (rows.length === 0) console.log('no sources registered; add one with: vklad sources add <name> --kind <kind>');
        for (const { source, status } of rows) {
          const c = status.counts;
          console.log(
            `${source.name}  ${source.kind}  ${hookPath(source) ?? '-'}  last event ${when(status.last_received_at)}  ` +
              `accepted ${c.accepted}, duplicate ${c.duplicate}, ignored ${c.ignored}, rejected ${c.rejected}${source.disabled_at ? '  DISABLED' : ''}`,
          );
        }
      }),
    );

  sources
    .command('add')
    .description('register a source; its secret is printed once')
    .argument('<name>', 'lowercase name; events from it carry it as their source')
    .requiredOption('--kind <kind>', SOURCE_KINDS.join(' | '))
    .option('--secret <secret>', 'use this secret instead of a generated one')
    .option('--chats <ids>', 'telegram: comma-separated ids of the chats to count', parseChats)
    .option('--settings <json>', 'settings as a JSON object', parseSettings)
    .action(async (name: string, opts: { kind: string; secret?: string; chats?: number[]; settings?: Record<string, unknown> }) =>
      withStore(async (db) => {
        const settings = { ...opts.settings, ...(opts.chats ? { chats: opts.chats } : {}) };
        const source = await registerSource(db, { name, kind: opts.kind, settings, ...(opts.secret ? { secret: opts.secret } : {}) }, cliActor());
        console.log(`registered ${source.kind} source ${source.name}; its secret is shown only now:\n${source.secret}`);
        console.log(nextStep(source));
      }),
    );

  sources
    .command('show')
    .description('status: last event received, counts per outcome, latest rejections with reasons')
    .argument('<name>')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }) =>
      withStore(async (db) => {
        const status = await sourceStatus(db, name);
        if (opts.json) return printJson(status);
        const c = status.counts;
        console.log(`${status.name} (${status.kind})${status.disabled_at ? ` disabled ${when(status.disabled_at)}` : ''}`);
        console.log(`  last event received  ${when(status.last_received_at)}`);
        console.log(`  last delivery        ${when(status.last_delivery_at)}`);
        console.log(`  deliveries           accepted ${c.accepted}, duplicate ${c.duplicate}, ignored ${c.ignored}, rejected ${c.rejected}`);
        console.log(`  events stored        ${status.events}`);
        if (status.recent_rejects.length > 0) console.log('  latest rejections:');
        for (const r of status.recent_rejects) console.log(`    ${r.at.toISOString()}  ${r.reason}`);
      }),
    );

  sources
    .command('set')
    .description('change settings (replaced whole) or switch a source off and on')
    .argument('<name>')
    .option('--chats <ids>', 'telegram: comma-separated ids of the chats to count', parseChats)
    .option('--settings <json>', 'settings as a JSON object', parseSettings)
    .option('--disable', 'refuse its deliveries (404) until enabled')
    .option('--enable', 'take its deliveries again')
    .action(async (name: string, opts: { chats?: number[]; settings?: Record<string, unknown>; disable?: boolean; enable?: boolean }) =>
      withStore(async (db) => {
        if (opts.disable && opts.enable) throw invalid([{ field: '--disable', reason: 'cannot be given with --enable' }]);
        const settings = opts.settings || opts.chats ? { ...opts.settings, ...(opts.chats ? { chats: opts.chats } : {}) } : undefined;
        const disabled = opts.disable ? true : opts.enable ? false : undefined;
        const source = await updateSource(db, name, { ...(settings ? { settings } : {}), ...(disabled === undefined ? {} : { disabled }) }, cliActor());
        console.log(`${source.name}: settings ${JSON.stringify(source.settings)}${source.disabled_at ? `, disabled since ${when(source.disabled_at)}` : ', enabled'}`);
      }),
    );

  sources
    .command('rotate-secret')
    .description('replace the secret; the old one stops working at once')
    .argument('<name>')
    .option('--secret <secret>', 'use this secret instead of a generated one')
    .action(async (name: string, opts: { secret?: string }) =>
      withStore(async (db) => {
        const source = await rotateSecret(db, name, cliActor(), opts.secret);
        console.log(`new secret for ${source.name}; it is shown only now:\n${source.secret}`);
        console.log(nextStep(source));
      }),
    );

  discourseCommand(sources);
  return sources;
}
