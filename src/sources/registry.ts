import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import type { Database, Queryable } from '../db/database.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { fieldErrors, slug } from '../schemas/common.ts';
import { audit } from '../store/audit.ts';
import { PaymentSourceSettings } from '../payments/providers/settings.ts';

/** The kinds of source Vklad knows how to receive; a new kind is one more entry here. */
export const SOURCE_KINDS = ['discourse', 'telegram', 'signed', 'stripe', 'cloudpayments'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface Source {
  name: string;
  kind: string;
  secret: string;
  settings: Record<string, unknown>;
  disabled_at: Date | null;
  created_at: Date;
}

const AnySettings = z.record(z.string(), z.unknown());

/** Settings each kind understands; a kind not named here takes any JSON object. */
const SETTINGS: Partial<Record<SourceKind, z.ZodType<Record<string, unknown>>>> = {
  // Chat ids as Telegram gives them: groups and channels are negative (-100...), within 52 bits.
  telegram: z
    .object({ chats: z.array(z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER)).max(1000).default([]) })
    .strict(),
  stripe: PaymentSourceSettings,
  cloudpayments: PaymentSourceSettings,
};

/**
 * A secret is printable ASCII without spaces, 16 to 256 characters; Telegram's secret_token allows only
 * letters, digits, "_" and "-", so a Telegram source's secret must fit that too.
 */
const SECRET = /^[\x21-\x7e]{16,256}$/;
const TELEGRAM_SECRET = /^[A-Za-z0-9_-]{16,256}$/;

/** 32 random bytes as base64url: 43 characters that every kind accepts. */
export const generateSecret = (): string => randomBytes(32).toString('base64url');

export interface SourceInput {
  name: string;
  kind: string;
  secret?: string;
  settings?: Record<string, unknown>;
}

/** Checks a registration, naming every field that is wrong; returns the settings as the kind reads them. */
export function validateSource(input: SourceInput): Record<string, unknown> {
  const errors: { field: string; reason: string }[] = [];
  if (typeof input.name !== 'string' || !slug.safeParse(input.name).success) {
    errors.push({ field: 'name', reason: 'must be 1-64 lowercase letters, digits, "_", "-" or "."' });
  }
  const kind = SOURCE_KINDS.find((k) => k === input.kind);
  if (!kind) errors.push({ field: 'kind', reason: `must be one of ${SOURCE_KINDS.join(', ')}` });
  if (input.secret !== undefined) {
    const pattern = kind === 'telegram' ? TELEGRAM_SECRET : SECRET;
    if (typeof input.secret !== 'string' || !pattern.test(input.secret)) {
      errors.push({
        field: 'secret',
        reason:
          kind === 'telegram'
            ? 'must be 16-256 letters, digits, "_" or "-" (what Telegram allows)'
            : 'must be 16-256 printable ASCII characters without spaces',
      });
    }
  }
  const schema = (kind && SETTINGS[kind]) ?? AnySettings;
  const parsed = schema.safeParse(input.settings ?? {});
  if (!parsed.success) errors.push(...fieldErrors(parsed.error).map((e) => ({ ...e, field: `settings.${e.field}`.replace(/\.\(body\)$/, '') })));
  if (errors.length > 0) throw invalid(errors);
  return parsed.data!;
}

const COLUMNS = 'name, kind, secret, settings, disabled_at, created_at';

export async function getSource(db: Queryable, name: string): Promise<Source | null> {
  const [row] = await db.query<Source>(`select ${COLUMNS} from sources where name = $1`, [name]);
  return row ?? null;
}

/** A registered, enabled source of the given kind, or null: hooks answer every other case alike. */
export async function activeSource(db: Queryable, name: string, kind: SourceKind): Promise<Source | null> {
  const source = await getSource(db, name);
  return source && source.kind === kind && source.disabled_at === null ? source : null;
}

export async function listSources(db: Queryable): Promise<Source[]> {
  return db.query<Source>(`select ${COLUMNS} from sources order by name`);
}

/** Registers a source; a strong secret is generated when none is given. The secret is never audited. */
export async function registerSource(db: Database, input: SourceInput, actor: string): Promise<Source> {
  const settings = validateSource(input);
  const secret = input.secret ?? generateSecret();
  return db.transaction(async (tx) => {
    const [row] = await tx.query<Source>(
      `insert into sources (name, kind, secret, settings) values ($1, $2, $3, $4)
       on conflict (name) do nothing returning ${COLUMNS}`,
      [input.name, input.kind, secret, JSON.stringify(settings)],
    );
    if (!row) throw conflict(`A source named "${input.name}" is already registered`, [{ field: 'name', reason: 'is taken' }]);
    await tx.query('insert into source_deliveries (source) values ($1)', [input.name]);
    await audit(tx, actor, 'source.register', `source:${input.name}`, { kind: input.kind, settings, secret_given: input.secret !== undefined });
    return row;
  });
}

/** Replaces a source's secret (a given one, or a fresh strong one); the old one stops working at once. */
export async function rotateSecret(db: Database, name: string, actor: string, secret?: string): Promise<Source> {
  return db.transaction(async (tx) => {
    const existing = await tx.query<Source>(`select ${COLUMNS} from sources where name = $1 for update`, [name]);
    const source = existing[0];
    if (!source) throw notFound(`Source ${name}`);
    if (secret !== undefined) validateSource({ name, kind: source.kind, secret, settings: source.settings });
    const [row] = await tx.query<Source>(`update sources set secret = $2 where name = $1 returning ${COLUMNS}`, [name, secret ?? generateSecret()]);
    await audit(tx, actor, 'source.rotate_secret', `source:${name}`, { secret_given: secret !== undefined });
    return row!;
  });
}

export interface SourceChange {
  settings?: Record<string, unknown>;
  /** true stops taking deliveries (they get 404 and are not counted); false takes them again. */
  disabled?: boolean;
}

/** Changes a source's settings (replaced whole, checked for its kind) or switches it off and on; audited. */
export async function updateSource(db: Database, name: string, change: SourceChange, actor: string): Promise<Source> {
  return db.transaction(async (tx) => {
    const [source] = await tx.query<Source>(`select ${COLUMNS} from sources where name = $1 for update`, [name]);
    if (!source) throw notFound(`Source ${name}`);
    const settings = change.settings === undefined ? source.settings : validateSource({ name, kind: source.kind, settings: change.settings });
    const [row] = await tx.query<Source>(
      `update sources set settings = $2,
         disabled_at = case when $3::boolean is null then disabled_at when $3 then coalesce(disabled_at, now()) end
       where name = $1 returning ${COLUMNS}`,
      [name, JSON.stringify(settings), change.disabled ?? null],
    );
    await audit(tx, actor, 'source.update', `source:${name}`, { ...(change.settings ? { settings } : {}), ...(change.disabled === undefined ? {} : { disabled: change.disabled }) });
    return row!;
  });
}

const sha256 = (value: string | Buffer): Buffer => createHash('sha256').update(value).digest();

/** Compares a presented secret with the expected one in constant time (equal-length digests). */
export const secretMatches = (presented: string | undefined, expected: string): boolean =>
  presented !== undefined && timingSafeEqual(sha256(presented), sha256(expected));

/** Where a source's deliveries go, for the kinds whose hook path follows from the name; null for the others. */
export function hookPath(source: Pick<Source, 'name' | 'kind'>): string | null {
  if (source.kind === 'signed') return `/hooks/sources/${source.name}`;
  if (!(SOURCE_KINDS as readonly string[]).includes(source.kind)) return null;
  return source.name === source.kind ? `/hooks/${source.kind}` : `/hooks/${source.kind}/${source.name}`;
}
