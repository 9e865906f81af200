import { type CsvProblem, type CsvRow, EMPTY_LIST, parseCsv } from './csv';

/**
 * A CSV of accounts as AccountInputs, typed by the attribute catalogue: the
 * one conversion of the console's batch upload and `icp score`.
 */

export type AttributeType = 'BOOL' | 'INT' | 'NUMBER' | 'STRING' | 'STRING_LIST';

export interface AttributeSpec {
  name: string;
  type: AttributeType;
  description?: string | null;
  allowedValues?: string[];
  unit?: string | null;
}

export interface AccountRow {
  key?: string;
  name?: string;
  attributes: Record<string, unknown>;
}

/** Columns that name the account rather than an attribute. */
const KEY_COLUMNS = ['key', 'id', 'accountkey', 'account_key'];
const NAME_COLUMNS = ['name', 'accountname', 'account_name', 'company'];

export interface AccountsFromCsv {
  accounts: AccountRow[];
  /** For each account, the CSV line it came from. */
  lines: number[];
  problems: CsvProblem[];
  /** Columns that are not in the catalogue (and not key/name): not sent. */
  ignoredColumns: string[];
  /** The attributes the file gives, in its column order (catalogue spelling). */
  attributeColumns: string[];
}

/**
 * Turns a CSV of accounts into AccountInputs: the header row names attributes
 * (as in the catalogue, case-insensitively) plus optional key/id and name
 * columns; empty cells leave the attribute out; values are converted by the
 * attribute's type. Every problem names its line and column.
 */
export function accountsFromCsv(text: string, catalogue: AttributeSpec[]): AccountsFromCsv {
  const { rows, problems } = parseCsv(text);
  const result: AccountsFromCsv = { accounts: [], lines: [], problems, ignoredColumns: [], attributeColumns: [] };
  if (!rows.length) {
    problems.push({ message: 'the file is empty: it needs a header row of attribute names, then one row per account' });
    return result;
  }
  const reader = accountColumns(rows[0].cells, catalogue);
  problems.push(...reader.problems);
  result.ignoredColumns = reader.ignoredColumns;
  result.attributeColumns = reader.attributeColumns;
  if (!reader.usable) return result;
  for (const row of rows.slice(1)) {
    const read = reader.account(row);
    if ('problems' in read) problems.push(...read.problems);
    else {
      result.accounts.push(read.account);
      result.lines.push(row.line);
    }
  }
  if (rows.length === 1) problems.push({ line: 1, message: 'the file has a header row but no accounts' });
  return result;
}

/** What a header row makes of the rows after it (accountColumns). */
export interface AccountColumns {
  /** The header's own problems (a column without a name or twice, none naming an attribute). */
  problems: CsvProblem[];
  /** False when no column names an attribute: no row can be read. */
  usable: boolean;
  ignoredColumns: string[];
  attributeColumns: string[];
  /** One row as an account (its key: the key column, else the name, else "line N"), or its problems. */
  account(row: CsvRow): { account: AccountRow } | { problems: CsvProblem[] };
}

/** The columns of a header row, and the reader of the rows below it (a whole file's or a stream's, row by row). */
export function accountColumns(headerCells: string[], catalogue: AttributeSpec[]): AccountColumns {
  const problems: CsvProblem[] = [];
  const ignoredColumns: string[] = [];
  const attributeColumns: string[] = [];
  const byName = new Map(catalogue.map((a) => [a.name.toLowerCase(), a]));
  // Names and values are read without their edge spaces ("a, b" is common in hand-written files).
  const header = headerCells.map((h) => h.trim());
  type Col = { kind: 'key' } | { kind: 'name' } | { kind: 'attr'; spec: AttributeSpec } | { kind: 'ignored' };
  const seen = new Set<string>();
  const columns: Col[] = header.map((h, i) => {
    const lower = h.toLowerCase();
    if (!h) {
      problems.push({ line: 1, column: `#${i + 1}`, message: 'a column has no name' });
      return { kind: 'ignored' };
    }
    if (seen.has(lower)) {
      problems.push({ line: 1, column: h, message: `the column "${h}" appears twice` });
      return { kind: 'ignored' };
    }
    seen.add(lower);
    const spec = byName.get(lower);
    if (spec) {
      attributeColumns.push(spec.name);
      return { kind: 'attr', spec };
    }
    if (KEY_COLUMNS.includes(lower)) return { kind: 'key' };
    if (NAME_COLUMNS.includes(lower)) return { kind: 'name' };
    ignoredColumns.push(h);
    return { kind: 'ignored' };
  });
  const usable = columns.some((c) => c.kind === 'attr');
  if (!usable)
    problems.push({ line: 1, message: `no column names an attribute of the catalogue (header: ${header.join(', ')})` });
  const account = (row: CsvRow): { account: AccountRow } | { problems: CsvProblem[] } => {
    if (row.cells.length > header.length && row.cells.slice(header.length).some((c) => c.trim() !== ''))
      return { problems: [{ line: row.line, message: `${row.cells.length} values for ${header.length} columns` }] };
    const result: AccountRow = { attributes: {} };
    let wrong: CsvProblem[] | undefined;
    columns.forEach((col, i) => {
      const cell = (row.cells[i] ?? '').trim();
      if (col.kind === 'key') result.key = cell || undefined;
      else if (col.kind === 'name') result.name = cell || undefined;
      else if (col.kind === 'attr' && cell !== '') {
        const v = coerce(col.spec, cell);
        if (v.ok) result.attributes[col.spec.name] = v.value;
        else (wrong ??= []).push({ line: row.line, column: col.spec.name, message: v.message });
      }
    });
    if (wrong) return { problems: wrong };
    result.key ??= result.name ?? `line ${row.line}`;
    return { account: result };
  };
  return { problems, usable, ignoredColumns, attributeColumns, account };
}

const TRUE = ['true', 'yes', 'y', '1', 'x'];
const FALSE = ['false', 'no', 'n', '0'];

/** A cell's text as the attribute's type, or why it cannot be. */
export function coerce(
  spec: AttributeSpec,
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const t = text.trim();
  switch (spec.type) {
    case 'INT': {
      const n = parseNumber(t);
      return n !== null && Number.isInteger(n)
        ? { ok: true, value: n }
        : { ok: false, message: `"${t}" is not a whole number` };
    }
    case 'NUMBER': {
      const n = parseNumber(t);
      return n !== null ? { ok: true, value: n } : { ok: false, message: `"${t}" is not a number` };
    }
    case 'BOOL': {
      const l = t.toLowerCase();
      if (TRUE.includes(l)) return { ok: true, value: true };
      if (FALSE.includes(l)) return { ok: true, value: false };
      return { ok: false, message: `"${t}" is not true or false` };
    }
    case 'STRING_LIST':
      // "[]": an empty list, which is not the same as a missing attribute (e.g. cloudProviders: not in the cloud).
      if (t === EMPTY_LIST) return { ok: true, value: [] };
      return {
        ok: true,
        value: t
          .split(/[;|]/)
          .map((s) => s.trim())
          .filter(Boolean),
      };
    default:
      return { ok: true, value: t };
  }
}

// Magnitude suffixes as sales people write money: 3k, 2.5M (or MM), 3B (or bn), 1T; powers of ten.
const SCALE: Record<string, number> = { k: 3, m: 6, mm: 6, b: 9, bn: 9, t: 12 };

/**
 * "1200", "1,200" (thousands), "1.5e6", "30%" → 0.3, and money shorthands: "$3B" → 3e9, "2.5M" → 2.5e6,
 * "€40k" → 40000 (a leading currency sign is dropped; the catalogue's unit says which currency).
 * Null when not a number.
 */
function parseNumber(t: string): number | null {
  const parts = /^([-+]?)[$€£]?(.*?)(k|mm|m|bn|b|t)?$/i.exec(t.replace(/[\s_]/g, ''));
  if (!parts) return null;
  const [, sign, body, suffix] = parts;
  let s = body;
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  const percent = !suffix && s.endsWith('%');
  if (percent) s = s.slice(0, -1);
  if (!/^(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) || (suffix && /e/i.test(s))) return null;
  // Scaled through the exponent so 1.1B is exactly 1100000000, not 1.1 * 1e9's rounding.
  const n = Number(`${sign}${s}`) / (percent ? 100 : 1);
  const scaled = suffix ? Number(`${sign}${s}e${SCALE[suffix.toLowerCase()]}`) : n;
  return Number.isFinite(scaled) ? scaled : null;
}
