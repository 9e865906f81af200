import Papa from 'papaparse';

/**
 * The one CSV reader and writer of the CLI, the console and the history
 * export (papaparse underneath; pure, so it runs in Node and the browser).
 * Reading: the delimiter of the header line (comma, semicolon or tab),
 * RFC 4180 quoting, a BOM, any line end; every row keeps its line, and every
 * problem names one. Writing: every text cell that a spreadsheet would run
 * as a formula (= + - @ TAB CR at its start) is prefixed with '.
 */

export interface CsvProblem {
  /** 1-based line of the file (the header is line 1); undefined for the whole file. */
  line?: number;
  column?: string;
  message: string;
}

export interface CsvRow {
  /** The line the row starts on (a quoted field may span lines). */
  line: number;
  cells: string[];
}

const DELIMITERS = [',', ';', '\t'] as const;

const QUOTE_PROBLEMS: Record<string, string> = {
  MissingQuotes: 'a quoted field is not closed (missing ")',
  InvalidQuotes: 'text follows the closing quote of a quoted field (write a quote inside a quoted field as "")',
};

/** Parses CSV text; blank lines are skipped. The delimiter is the header line's unless given (a later part of a file). */
export function parseCsv(text: string, given?: string): { rows: CsvRow[]; problems: CsvProblem[]; delimiter: string } {
  const src = lfLineEnds(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const delimiter = given ?? detectDelimiter(src);
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  let offset = 0;
  let line = 1;
  Papa.parse<string[]>(src, {
    delimiter,
    newline: '\n',
    step: (result) => {
      // The row starts where the previous one ended; count the line ends in between.
      const end = result.meta.cursor;
      const start = line + countNewlines(src, offset, Math.min(end, src.length));
      const rowLine = line;
      line = start;
      offset = end;
      // The first quoting problem of a row: papaparse reports a second for the same cause.
      const quoting = result.errors.find((e) => e.type === 'Quotes');
      if (quoting) problems.push({ line: rowLine, message: QUOTE_PROBLEMS[quoting.code] ?? quoting.message });
      const cells = result.data;
      if (!(cells.length === 1 && cells[0].trim() === '')) rows.push({ line: rowLine, cells });
    },
  });
  return { rows, problems, delimiter };
}

/** One line end for papaparse (it takes one per file): CRLF and CR become LF outside quotes; quoted text is kept as it is. */
function lfLineEnds(text: string): string {
  if (!text.includes('\r')) return text;
  // Split at quotes: even parts are outside quotes (a doubled "" inside one leaves an empty odd part, parity kept).
  return text
    .split('"')
    .map((part, i) => (i % 2 === 0 ? part.replace(/\r\n?/g, '\n') : part))
    .join('"');
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i !== -1 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** The delimiter the header line uses most (outside quotes); comma when it uses none. */
function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '\n') {
      if ([...counts.values()].some((n) => n > 0)) break;
    } else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  const [best, n] = [...counts].sort((a, b) => b[1] - a[1])[0];
  return n > 0 ? best : ',';
}

/** How list values are written in one cell: "aws;gcp" (also | ). */
export const LIST_SEPARATOR = ';';
/** A cell holding an empty list (an empty cell means "not given"). */
export const EMPTY_LIST = '[]';

const FORMULA = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** A value as the text of one cell, formula-guarded. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  const s = Array.isArray(value)
    ? value.length
      ? value.join(LIST_SEPARATOR)
      : EMPTY_LIST
    : value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  // A spreadsheet runs such a cell as a formula (=HYPERLINK, DDE); a plain number like -3.5 is harmless.
  return FORMULA.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
}

export interface CsvWriteOptions {
  /** Quote every cell (the history export does). */
  quoteAll?: boolean;
  /** CRLF as RFC 4180 says (default), or LF for a terminal. */
  lineEnd?: '\r\n' | '\n';
}

/** Rows of values as CSV text, each cell through cellText; quoted where needed (delimiter, quote, line break, edge spaces). */
export function toCsv(rows: unknown[][], opts: CsvWriteOptions = {}): string {
  const lineEnd = opts.lineEnd ?? '\r\n';
  const body = Papa.unparse(
    rows.map((r) => r.map(cellText)),
    // Also quoted: a cell with a TAB, so that reading it back never takes it for the delimiter ("aws;gcp" lists stay bare).
    { quotes: opts.quoteAll ? true : (text: string) => text.includes('\t'), newline: lineEnd, escapeFormulae: false },
  );
  return body + lineEnd;
}

/** One cell as it is written (quoted when needed). */
export const csvField = (value: unknown): string => toCsv([[value]], { lineEnd: '\n' }).slice(0, -1);
