import fs from 'node:fs';
import YAML from 'yaml';
import { CliError, type Config, EXIT, gql } from './client';
import { toCsv, type CsvProblem } from '../csv/csv';
import { accountsFromCsv, type AttributeSpec } from '../csv/accounts-csv';
import { compareScores, groupOf, RANKED_HEADER, rankedRow } from '../csv/ranking';
import { Progress } from './progress';
import { scoreStreamCommand } from './score-stream';
import type { Io, Values } from './io';
import { unifiedDiff } from './text-diff';

/** The commands of `icp`: each takes its positionals and options, writes its output, and returns the exit code. */
export type { Io, Values } from './io';

const usage = (message: string) => new CliError(message, EXIT.USAGE);

function int(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw usage(`${name} must be a whole number, got "${value}"`);
  return Number(value);
}

function readFile(file: string, io: Io): string {
  if (file === '-') return io.readStdin();
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(
      `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      EXIT.FAILED,
    );
  }
}

function write(text: string, out: string | undefined, io: Io): void {
  if (out) fs.writeFileSync(out, text);
  else io.stdout.write(text);
}

/** --json: the command's result as one JSON document (indented, newline-terminated) instead of its text. */
const jsonText = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

const EXPORT = `query($icp: String!, $version: Int) { exportIcp(icp: $icp, version: $version) }`;

export async function exportCommand(cfg: Config, [slug]: string[], o: Values, io: Io): Promise<number> {
  if (!slug) throw usage('icp export needs the slug of an ICP');
  if (o.json && o.schema !== undefined) throw usage('--schema names the schema in a YAML comment: not with --json');
  const { exportIcp } = await gql(cfg, EXPORT, { icp: slug, version: int(o.version, '--version') });
  const header = typeof o.schema === 'string' ? `# yaml-language-server: $schema=${o.schema}\n` : '';
  // The same document as JSON (the JSON Schema of ICP files describes both).
  const text = o.json ? jsonText(YAML.parse(exportIcp as string)) : header + exportIcp;
  write(text, o.output as string | undefined, io);
  if (o.output) io.stderr.write(`Wrote ${slug} (${o.version ? `version ${o.version}` : 'draft'}) to ${o.output}\n`);
  return EXIT.OK;
}

const EXPORT_SQL = `query($icp: String!, $dialect: SqlDialect!, $version: Int, $table: String, $view: String, $key: String) {
  exportIcpSql(icp: $icp, dialect: $dialect, version: $version, table: $table, view: $view, key: $key) { version filename sql }
}`;
const SQL_DIALECTS = ['postgres', 'duckdb', 'bigquery', 'snowflake', 'spark'];

export async function exportSqlCommand(cfg: Config, [slug]: string[], o: Values, io: Io): Promise<number> {
  if (!slug) throw usage('icp export-sql needs the slug of an ICP');
  const dialect = o.dialect;
  if (typeof dialect !== 'string' || !SQL_DIALECTS.includes(dialect))
    throw usage(`--dialect must be one of ${SQL_DIALECTS.join(', ')}${dialect ? `, got "${String(dialect)}"` : ''}`);
  const { exportIcpSql } = await gql<{ exportIcpSql: { version: number; filename: string; sql: string } }>(
    cfg,
    EXPORT_SQL,
    {
      icp: slug,
      dialect: dialect.toUpperCase(),
      version: int(o.version, '--version'),
      table: o.table,
      view: o.view,
      key: o.key,
    },
  );
  write(exportIcpSql.sql, o.output as string | undefined, io);
  if (o.output)
    io.stderr.write(`Wrote ${slug} version ${exportIcpSql.version} as ${dialect} SQL to ${String(o.output)}\n`);
  return EXIT.OK;
}

const IMPORT = `mutation($yaml: String!, $reason: String, $dryRun: Boolean) {
  importIcp(yaml: $yaml, reason: $reason, dryRun: $dryRun) {
    slug dryRun created yaml changes { entity name parent path action fields { field before after } }
  }
}`;

/** A value in at most about 70 characters; from `at` on, where two long values start to differ. */
const short = (v: unknown, at = 0) => {
  const s = v === null || v === undefined ? '(none)' : JSON.stringify(v);
  const from = s.length > 70 ? Math.max(0, Math.min(at - 20, s.length - 66)) : 0;
  return `${from ? '…' : ''}${s.slice(from, from + 66)}${s.length > from + 66 ? '…' : ''}`;
};

function firstDifference(a: unknown, b: unknown): number {
  const [x, y] = [JSON.stringify(a ?? null), JSON.stringify(b ?? null)];
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return i;
}

interface Change {
  entity: string;
  name: string;
  parent: string | null;
  path: string | null;
  action: 'CREATE' | 'UPDATE' | 'DELETE';
  fields: { field: string; before: unknown; after: unknown }[];
}

export function describeChanges(changes: Change[]): string {
  const sign = { CREATE: '+', UPDATE: '~', DELETE: '-' };
  const lines: string[] = [];
  for (const c of changes) {
    const name = c.parent ? `${c.parent} / ${c.name}` : c.name;
    lines.push(`  ${sign[c.action]} ${c.entity} "${name}"${c.path ? ` (${c.path})` : ''}`);
    if (c.action === 'UPDATE')
      for (const f of c.fields) {
        const at = firstDifference(f.before, f.after);
        lines.push(`      ${f.field}: ${short(f.before, at)} → ${short(f.after, at)}`);
      }
  }
  return lines.join('\n');
}

async function draftText(cfg: Config, slug: string): Promise<string | null> {
  try {
    return (await gql(cfg, EXPORT, { icp: slug })).exportIcp as string;
  } catch (e) {
    if (e instanceof CliError && e.exitCode === EXIT.FAILED) return null;
    throw e;
  }
}

export async function importCommand(cfg: Config, [file]: string[], o: Values, io: Io): Promise<number> {
  if (!file) throw usage('icp import needs a file (or - for standard input)');
  const yaml = readFile(file, io);
  const dryRun = !!o['dry-run'];
  // The draft as it is before the import, for --diff (none yet: the import creates the ICP).
  const slug = /^slug:\s*["']?([a-z0-9-]+)/m.exec(yaml)?.[1];
  const before = o.diff && slug ? await draftText(cfg, slug) : null;
  const { importIcp: r } = await gql(cfg, IMPORT, { yaml, reason: o.reason, dryRun }, file);
  if (o.json) {
    const { slug: s, created, changes } = r;
    const diff = o.diff ? { diff: unifiedDiff(before ?? '', r.yaml, `${s}@draft`, file) } : {};
    io.stdout.write(jsonText({ file, slug: s, dryRun, created, changes, ...diff }));
    return EXIT.OK;
  }
  const n = r.changes.length;
  const what = r.created ? `creates ICP ${r.slug}` : `${n} change${n === 1 ? '' : 's'} to the draft of ${r.slug}`;
  if (!n) io.stdout.write(`${r.slug}: the draft already matches ${file}; nothing to do.\n`);
  else
    io.stdout.write(
      `${dryRun ? `Dry run, nothing written: ${file} ${what}` : `Imported ${file}: ${what}`}\n${describeChanges(r.changes)}\n`,
    );
  if (o.diff && n) io.stdout.write(`\n${unifiedDiff(before ?? '', r.yaml, `${r.slug}@draft`, file)}`);
  if (!dryRun && n) io.stdout.write(`Publish it with: icp publish ${r.slug} -m "<what changed>"\n`);
  return EXIT.OK;
}

export async function diffCommand(cfg: Config, [slug, v1, v2]: string[], o: Values, io: Io): Promise<number> {
  if (!slug || !v1 || !v2) throw usage('icp diff needs a slug and two versions, e.g. icp diff itsm 1 2 (or 1 draft)');
  const version = (v: string): number | null => (v === 'draft' ? null : int(v, 'a version')!);
  const [from, to] = [version(v1), version(v2)];
  if (o.json) {
    if (from === null)
      throw usage(
        '--json compares a published version with a later one or the draft: the first version must be a number',
      );
    const { icpDiff } = await gql(
      cfg,
      `query($icp: String!, $from: Int!, $to: Int) { icpDiff(icp: $icp, from: $from, to: $to) { patch { op path from value } } }`,
      { icp: slug, from, to },
    );
    // An RFC 6902 document that applies to the published snapshot of `from`, without the members an op has not.
    const patch = (icpDiff.patch as { op: string; path: string; from: string | null; value?: unknown }[]).map(
      ({ from: source, value, ...op }) => ({
        ...op,
        ...(source === null ? {} : { from: source }),
        ...(op.op === 'remove' || op.op === 'move' || op.op === 'copy' ? {} : { value }),
      }),
    );
    io.stdout.write(`${JSON.stringify(patch, null, 2)}\n`);
    return EXIT.OK;
  }
  const [a, b] = await Promise.all(
    [from, to].map(async (v) => (await gql(cfg, EXPORT, { icp: slug, version: v })).exportIcp as string),
  );
  const label = (v: number | null) => `${slug}@${v === null ? 'draft' : `v${v}`}`;
  const diff = unifiedDiff(a, b, label(from), label(to));
  if (diff) io.stdout.write(diff);
  else io.stderr.write(`No differences between ${label(from)} and ${label(to)}.\n`);
  return EXIT.OK;
}

export async function publishCommand(cfg: Config, [slug]: string[], o: Values, io: Io): Promise<number> {
  if (!slug) throw usage('icp publish needs the slug of an ICP');
  if (typeof o.message !== 'string' || !o.message.trim())
    throw usage('icp publish needs a changelog: -m "what changed"');
  const { publishIcp } = await gql(
    cfg,
    `mutation($icp: String!, $m: String!) { publishIcp(icp: $icp, changelog: $m) { version changelog } }`,
    { icp: slug, m: o.message },
  );
  io.stdout.write(
    o.json
      ? jsonText({ slug, version: publishIcp.version, changelog: publishIcp.changelog })
      : `Published ${slug} version ${publishIcp.version}: ${publishIcp.changelog}\n`,
  );
  return EXIT.OK;
}

const SCORE = `query($icp: String!, $accounts: [AccountInput!]!, $version: Int) {
  fitScores(icp: $icp, accounts: $accounts, version: $version) {
    accountKey icpVersion score maxScore disqualified disqualifiers { name } tier { name rank } band { name action }
    action undetermined decidingAttributes triggers { name } missingAttributes
  }
}`;

export async function scoreCommand(cfg: Config, [slug, file]: string[], o: Values, io: Io): Promise<number> {
  if (!slug || !file) throw usage('icp score needs a slug and a CSV file, e.g. icp score itsm accounts.csv');
  const batch = int(o['batch-size'], '--batch-size') ?? 500;
  if (batch < 1 || batch > 10_000) throw usage('--batch-size must be between 1 and 10000');
  const version = int(o.version, '--version');
  if (o.stream) {
    if (o['batch-size'] !== undefined) throw usage('--batch-size is for ranked scoring: not with --stream');
    return scoreStreamCommand(cfg, slug, file, version, o, io);
  }
  const text = readFile(file, io);
  // The catalogue the published version was frozen with gives each column its type.
  const { icpVersion } = await gql(
    cfg,
    `query($icp: String!, $v: Int) { icpVersion(icp: $icp, version: $v) { version attributes { name type allowedValues } } }`,
    { icp: slug, v: version },
  );
  // The console's conversion: header names, [] for an empty list, every problem with its line.
  const parsed = accountsFromCsv(text, icpVersion.attributes as AttributeSpec[]);
  if (parsed.ignoredColumns.length)
    io.stderr.write(`Ignoring columns that are not attributes of ${slug}: ${parsed.ignoredColumns.join(', ')}\n`);
  if (parsed.problems.length) {
    const where = (p: CsvProblem) => `${file}${p.line ? `:${p.line}` : ''}: ${p.column ? `${p.column}: ` : ''}`;
    throw new CliError(parsed.problems.map((p) => `${where(p)}${p.message}`).join('\n'), EXIT.FAILED);
  }
  const accounts = parsed.accounts.map((a) => ({ key: a.key, name: a.name ?? null, attributes: a.attributes }));
  const showProgress = o.progress === true || (!!io.stderr.isTTY && !o.quiet);
  const progress = showProgress ? new Progress(accounts.length, `Scoring ${slug}`, io.stderr) : null;
  const scores: any[] = [];
  progress?.update(0);
  for (let i = 0; i < accounts.length; i += batch) {
    const { fitScores } = await gql(cfg, SCORE, { icp: slug, accounts: accounts.slice(i, i + batch), version });
    scores.push(...fitScores);
    progress?.update(scores.length);
  }
  progress?.finish();
  // Qualified, then needs data, then disqualified (api/src/csv/ranking.ts); a stable sort keeps file order on ties.
  const ranked = scores.map((s, i) => ({ s, a: accounts[i] })).sort((x, y) => compareScores(x.s, y.s));
  const ranking = o.json
    ? // The scores as the API gave them, with the account and its place in the list.
      jsonText(ranked.map(({ s, a }, r) => ({ rank: r + 1, key: a.key, name: a.name, group: groupOf(s), ...s })))
    : // LF line ends: the ranked list is often read in a terminal or piped on.
      toCsv([RANKED_HEADER, ...ranked.map(({ s, a }, r) => rankedRow(r + 1, s, a))], { lineEnd: '\n' });
  write(ranking, o.output as string | undefined, io);
  if (o.output)
    io.stderr.write(
      `Scored ${scores.length} accounts against ${slug} version ${icpVersion.version}; ranked list in ${o.output}\n`,
    );
  return EXIT.OK;
}
