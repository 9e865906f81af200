/**
 * CSV for the scoring pages: a small RFC 4180 reader and writer, and the
 * conversion of a CSV of accounts into AccountInputs, typed by the attribute
 * catalogue. Pure (no DOM, no React) so it is unit-tested in tests/admin/.
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

export interface CsvProblem {
  /** 1-based line of the file (the header is line 1); undefined for the whole file. */
  line?: number;
  column?: string;
  message: string;
}

/** Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF, a leading BOM); blank lines are skipped. Each row keeps its 1-based line number. */
export function parseCsv(text: string): { rows: { line: number; cells: string[] }[]; problems: CsvProblem[] } {
  const rows: { line: number; cells: string[] }[] = [];
  const problems: CsvProblem[] = [];
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const delimiter = detectDelimiter(src);
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let fieldWasQuoted = false;
  let line = 1;
  let rowLine = 1;
  const endField = () => {
    cells.push(fieldWasQuoted ? field : field.trim());
    field = '';
    fieldWasQuoted = false;
  };
  const endRow = () => {
    endField();
    if (!(cells.length === 1 && cells[0] === '')) rows.push({ line: rowLine, cells });
    cells = [];
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field.trim() === '' && !fieldWasQuoted) {
      quoted = true;
      fieldWasQuoted = true;
      field = '';
    } else if (c === delimiter) endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += c;
  }
  if (quoted) problems.push({ line: rowLine, message: 'a quoted field is not closed (missing ")' });
  if (field !== '' || cells.length || fieldWasQuoted) endRow();
  return { rows, problems };
}

/** Comma unless the header line has more semicolons or tabs (spreadsheets in some locales). */
function detectDelimiter(text: string): string {
  const header = text.slice(0, text.search(/\r|\n|$/));
  const count = (d: string) => header.split(d).length - 1;
  const best = [',', ';', '\t'].sort((a, b) => count(b) - count(a))[0];
  return count(best) > 0 ? best : ',';
}

/** One CSV field: quoted when it holds a comma, quote, line break or leading/trailing space; formula-looking text is prefixed with ' so spreadsheets do not run it. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = Array.isArray(value) ? (value.length ? value.join(LIST_SEPARATOR) : EMPTY_LIST) : String(value);
  if (/^[=+\-@\t\r]/.test(s) && !/^[-+]?\d/.test(s)) s = `'${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows of values as CSV text (CRLF line ends, as RFC 4180 says). */
export function toCsv(rows: unknown[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Columns that name the account rather than an attribute. */
const KEY_COLUMNS = ['key', 'id', 'accountkey', 'account_key'];
const NAME_COLUMNS = ['name', 'accountname', 'account_name', 'company'];

/** How list values are written in one cell: "aws;gcp" (also | ). */
export const LIST_SEPARATOR = ';';
/** A cell holding an empty list (an empty cell means "not given"). */
export const EMPTY_LIST = '[]';

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
  const byName = new Map(catalogue.map((a) => [a.name.toLowerCase(), a]));
  const header = rows[0].cells;
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
      result.attributeColumns.push(spec.name);
      return { kind: 'attr', spec };
    }
    if (KEY_COLUMNS.includes(lower)) return { kind: 'key' };
    if (NAME_COLUMNS.includes(lower)) return { kind: 'name' };
    result.ignoredColumns.push(h);
    return { kind: 'ignored' };
  });
  if (!columns.some((c) => c.kind === 'attr')) {
    problems.push({ line: 1, message: `no column names an attribute of the catalogue (header: ${header.join(', ')})` });
    return result;
  }
  for (const row of rows.slice(1)) {
    if (row.cells.length > header.length && row.cells.slice(header.length).some((c) => c !== '')) {
      problems.push({ line: row.line, message: `${row.cells.length} values for ${header.length} columns` });
      continue;
    }
    const account: AccountRow = { attributes: {} };
    let ok = true;
    columns.forEach((col, i) => {
      const cell = row.cells[i] ?? '';
      if (col.kind === 'key') account.key = cell || undefined;
      else if (col.kind === 'name') account.name = cell || undefined;
      else if (col.kind === 'attr' && cell !== '') {
        const v = coerce(col.spec, cell);
        if (v.ok) account.attributes[col.spec.name] = v.value;
        else {
          ok = false;
          problems.push({ line: row.line, column: col.spec.name, message: v.message });
        }
      }
    });
    if (ok) {
      account.key ??= account.name ?? `line ${row.line}`;
      result.accounts.push(account);
      result.lines.push(row.line);
    }
  }
  if (rows.length === 1) problems.push({ line: 1, message: 'the file has a header row but no accounts' });
  return result;
}

const TRUE = ['true', 'yes', 'y', '1', 'x'];
const FALSE = ['false', 'no', 'n', '0'];

/** A cell's text as the attribute's type, or why it cannot be. */
export function coerce(spec: AttributeSpec, text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const t = text.trim();
  switch (spec.type) {
    case 'INT': {
      const n = parseNumber(t);
      return n !== null && Number.isInteger(n) ? { ok: true, value: n } : { ok: false, message: `"${t}" is not a whole number` };
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

/** "1200", "1,200" (thousands), "1.5e6", "30%" → 0.3; null when not a number. */
function parseNumber(t: string): number | null {
  let s = t.replace(/[\s_]/g, '');
  if (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  const percent = s.endsWith('%');
  if (percent) s = s.slice(0, -1);
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return null;
  const n = percent ? Number(s) / 100 : Number(s);
  return Number.isFinite(n) ? n : null;
}
