import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';
import { type AccountColumns, type AccountRow, accountColumns, type AttributeSpec } from '../csv/accounts-csv';
import { type CsvProblem, parseCsv, toCsv } from '../csv/csv';
import { groupOf, scoreCells, SCORE_HEADER } from '../csv/ranking';
import { AccountError, type CompiledModel, type FitScore } from '../scoring-engine/engine';

/**
 * Bulk scoring as a stream (POST /v1/score/{icp}): accounts in (NDJSON or
 * CSV), one result per account out in the same order (NDJSON or CSV), then a
 * summary. Two object-mode stages between the request and the response, so
 * back-pressure holds end to end and memory is a batch's, whatever the
 * length: `RecordBatcher` cuts the bytes into batches of records (a line; a
 * CSV record may span lines inside quotes), `BatchScorer` reads, scores and
 * writes each batch. A bad row is one output line (its line number and what
 * is wrong); what stops the stream (a record too long, a CSV header naming no
 * attribute, a refused quota) is one fatal line, then the summary.
 */
export type StreamFormat = 'ndjson' | 'csv';

/** How many records make a batch: one quota take, one output write. */
export const BATCH_RECORDS = 1_000;
/** The longest record read (a line, or a quoted CSV record): past it the stream stops (an unclosed quote, no line ends). */
export const MAX_RECORD_CHARS = 1 << 20;

/** Records of the input, in order; `line`: the 1-based line the first record starts on. */
export interface RecordBatch {
  line: number;
  records: string[];
  /** The input cannot be read on from here: the last batch. */
  stop?: StreamStop;
}

/**
 * A stop: the stream cannot go on (its message names the line); `code` for clients. A `refusal` before any
 * output is the whole answer (one JSON object, under the status its thrower set), not a line of the stream.
 */
export class StreamStop extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly line?: number,
    readonly refusal = false,
  ) {
    super(message);
  }
}

/** Bytes (UTF-8) to batches of records; CSV records keep line ends inside quotes. */
export class RecordBatcher extends Transform {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  /** CSV: the pending text is inside quotes. */
  private quoted = false;
  /** Where the pending text's scan for quotes stopped. */
  private scanned = 0;
  private line = 1;
  private batch: RecordBatch = { line: 1, records: [] };
  private first = true;
  private stopped = false;

  constructor(
    private readonly format: StreamFormat,
    private readonly batchRecords = BATCH_RECORDS,
  ) {
    super({ readableObjectMode: true, readableHighWaterMark: 2 });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.stopped) return done();
    let text = this.decoder.write(chunk);
    if (this.first && text) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.cut(text);
    done();
  }

  /** Reads nothing more: the rest of the input is dropped. */
  halt(): void {
    this.stopped = true;
  }

  override _flush(done: TransformCallback): void {
    if (!this.stopped) {
      this.cut(this.decoder.end());
      if (this.pending && !this.stopped) this.record(this.pending);
      if (this.batch.records.length) this.push(this.batch);
    }
    done();
  }

  private cut(text: string): void {
    let s = this.pending + text;
    let from = 0;
    let scan = this.scanned;
    for (;;) {
      const end = this.format === 'csv' ? this.csvEnd(s, scan) : s.indexOf('\n', scan);
      if (end < 0) break;
      this.record(s.slice(from, end));
      from = scan = end + 1;
    }
    s = s.slice(from);
    this.scanned = s.length;
    this.pending = s;
    if (s.length > MAX_RECORD_CHARS) {
      // What was read before is scored; nothing after: the record's end cannot be known.
      const stop = new StreamStop(
        `line ${this.line}: a record longer than ${MAX_RECORD_CHARS.toLocaleString('en')} characters` +
          (this.quoted ? ' (a quoted field is not closed: missing ")' : ' (no line end)'),
        'RECORD_TOO_LONG',
        this.line,
      );
      if (this.batch.records.length) this.push(this.batch);
      this.push({ line: this.line, records: [], stop });
      this.batch = { line: this.line, records: [] };
      this.pending = '';
      this.stopped = true;
    }
  }

  /** The next line end outside quotes at or after `from`, or -1 (the quote state kept for the next chunk). */
  private csvEnd(s: string, from: number): number {
    let quoted = this.quoted;
    for (let i = from; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 34) quoted = !quoted;
      else if (c === 10 && !quoted) {
        this.quoted = false;
        return i;
      }
    }
    this.quoted = quoted;
    return -1;
  }

  private record(text: string): void {
    if (!this.batch.records.length) this.batch.line = this.line;
    this.batch.records.push(text);
    this.line += 1 + (this.format === 'csv' ? countLineEnds(text) : 0);
    if (this.batch.records.length >= this.batchRecords) {
      this.push(this.batch);
      this.batch = { line: this.line, records: [] };
    }
  }
}

function countLineEnds(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * A batch's records read, in order: each one's line, and its account to score or what is wrong with it (a string).
 * Two arrays, not an object per record: emptied once the batch is written (see `BatchScorer.release`), nothing of a
 * record is left referenced from a batch already dead.
 */
interface Reads {
  lines: number[];
  rows: (AccountRow | string)[];
}

/** The counts of the final summary line. */
export interface StreamSummary {
  icp: string;
  version: number;
  maxScore: number;
  /** Records read (blank lines and the CSV header aside). */
  rows: number;
  scored: number;
  /** Bad rows, reported on their own line. */
  errors: number;
  /** Accounts per tier name ("none": no tier held). */
  tiers: Record<string, number>;
  /** Accounts per band name of the accounts not disqualified ("none": below every band). */
  bands: Record<string, number>;
  disqualified: number;
  needsData: number;
  /** Set when the stream stopped before the end of the input. */
  stopped?: { code: string; message: string };
}

/** What the scorer asks of its surroundings: the accounts quota, taken before each batch is scored. */
export interface ScorerHooks {
  takeAccounts(count: number): Promise<void>;
  /** Told of each batch scored (metrics). */
  scored?(count: number): void;
}

/** Reads each batch's records as accounts, scores them and writes one line per record, then the summary. */
export class BatchScorer extends Transform {
  private csv?: { columns: AccountColumns; delimiter: string };
  readonly summary: StreamSummary;
  private stopped = false;
  private headerWritten = false;
  private started = false;
  /** The records of the batch being scored, read (one pair of arrays for the stream: see `release`). */
  private readonly reads: Reads = { lines: [], rows: [] };

  constructor(
    private readonly model: CompiledModel,
    private readonly input: StreamFormat,
    private readonly output: StreamFormat,
    private readonly hooks: ScorerHooks,
  ) {
    super({ writableObjectMode: true, writableHighWaterMark: 2 });
    this.summary = {
      icp: model.icpSlug,
      version: model.version,
      maxScore: model.maxScore,
      rows: 0,
      scored: 0,
      errors: 0,
      tiers: {},
      bands: {},
      disqualified: 0,
      needsData: 0,
    };
  }

  /** Every output write goes through here: the CSV header comes first, with the first write (not before: an error may still be a status). */
  private text(body: string): string {
    this.started = true;
    if (this.output !== 'csv' || this.headerWritten) return body;
    this.headerWritten = true;
    return toCsv([['line', ...SCORE_HEADER, 'error']]) + body;
  }

  /** True once a stop was written: the rest of the input is not read. */
  get hasStopped(): boolean {
    return this.stopped;
  }

  override _transform(batch: RecordBatch, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.stopped) return done();
    this.scoreBatch(batch).then(
      (text) => {
        this.release(batch);
        if (batch.stop) {
          this.push(text);
          this.stop(batch.stop);
          return done();
        }
        done(null, text);
      },
      (e: unknown) => {
        this.release(batch);
        if (!(e instanceof StreamStop)) return done(e as Error);
        this.stop(e);
        done();
      },
    );
  }

  override _flush(done: TransformCallback): void {
    if (!this.stopped) this.push(this.text(this.summaryText()));
    done();
  }

  /** Writes the stop and the summary, and ends the output (the caller stops reading the input). */
  stop(e: StreamStop): void {
    if (this.stopped) return;
    this.stopped = true;
    this.summary.stopped = { code: e.code, message: e.message };
    if (e.refusal && !this.started) this.push(JSON.stringify({ error: e.message, code: e.code }));
    else {
      this.push(this.text(this.errorText(e.line, e.message, e.code)));
      this.push(this.summaryText());
    }
    this.push(null);
    this.emit('stopped');
  }

  /**
   * A written batch lets go of its records and accounts. V8 may allocate a stage's batches and arrays straight into
   * its old generation (allocation-site pretenuring: they outlive young collections while queued); one dead there
   * keeps what it references alive through every young collection until the next full one. Measured (bench/stream):
   * the heap swung 70 → 300 MB between full collections while they were kept, 70 → 110 MB once let go.
   */
  private release(batch: RecordBatch): void {
    batch.records.length = 0;
    this.reads.lines.length = 0;
    this.reads.rows.length = 0;
  }

  private async scoreBatch(batch: RecordBatch): Promise<string> {
    const reads = this.reads;
    if (this.input === 'csv') this.readCsv(batch, reads);
    else readNdjson(batch, reads);
    let accounts = 0;
    for (const r of reads.rows) if (typeof r !== 'string') accounts++;
    this.summary.rows += reads.rows.length;
    await this.hooks.takeAccounts(accounts);
    let out = '';
    const rows: unknown[][] = [];
    let scored = 0;
    const csv = this.output === 'csv';
    for (let i = 0; i < reads.rows.length; i++) {
      const line = reads.lines[i];
      const r = reads.rows[i];
      let cells: unknown[];
      if (typeof r !== 'string') {
        try {
          const score = this.model.score(r, 'account');
          this.count(score);
          scored++;
          const values = scoreCells(score, r);
          if (!csv) {
            out += ndjsonLine(line, values);
            continue;
          }
          cells = [line, ...values, ''];
        } catch (e) {
          if (!(e instanceof AccountError)) throw e;
          // "account.attributes.employees: …" → "line 7, employees: …"
          const why = e.problems.map((p) => `${p.path.replace(/^account(\.attributes)?\.?/, '')}: ${p.message}`);
          cells = this.bad(line, `line ${line}, ${why.join('; ')}`);
        }
      } else cells = this.bad(line, r);
      if (csv) rows.push(cells);
      else out += JSON.stringify({ line: cells[0], error: cells[1] }) + '\n';
    }
    this.summary.scored += scored;
    this.hooks.scored?.(scored);
    return this.text(this.output === 'csv' ? (rows.length ? toCsv(rows) : '') : out);
  }

  /** A bad row's cells (CSV: the error in the last column; NDJSON: [line, error]). */
  private bad(line: number, error: string): unknown[] {
    this.summary.errors++;
    return this.output === 'csv' ? errorCells(line, error) : [line, error];
  }

  private count(s: FitScore): void {
    const sum = this.summary;
    const tier = s.tier?.name ?? 'none';
    sum.tiers[tier] = (sum.tiers[tier] ?? 0) + 1;
    if (s.disqualified) sum.disqualified++;
    else {
      const band = s.band?.name ?? 'none';
      sum.bands[band] = (sum.bands[band] ?? 0) + 1;
    }
    if (groupOf(s) === 'needs data') sum.needsData++;
  }

  private readCsv(batch: RecordBatch, reads: Reads): void {
    let line = batch.line;
    let records = batch.records;
    if (!this.csv) {
      // The first non-blank record is the header.
      let i = 0;
      while (i < records.length && records[i].trim() === '') line += 1 + countLineEnds(records[i++]);
      if (i === records.length) return;
      const header = parseCsv(records[i]);
      const columns = accountColumns(header.rows[0]?.cells ?? [], this.model.catalogue as AttributeSpec[]);
      if (!columns.usable || header.problems.length)
        throw new StreamStop(
          [...header.problems, ...columns.problems].map((p) => problemText(p, line)).join('; '),
          'BAD_HEADER',
          line,
        );
      this.csv = { columns, delimiter: header.delimiter };
      line += 1 + countLineEnds(records[i]);
      records = records.slice(i + 1);
      if (!records.length) return;
    }
    const { columns, delimiter } = this.csv;
    const parsed = parseCsv(records.join('\n'), delimiter);
    const badLines = new Map<number, string>();
    for (const p of parsed.problems) badLines.set(p.line! + line - 1, problemText(p, line));
    for (const row of parsed.rows) {
      const at = { ...row, line: row.line + line - 1 };
      const bad = badLines.get(at.line);
      const read = bad ? undefined : columns.account(at);
      reads.lines.push(at.line);
      reads.rows.push(
        !read ? bad! : 'account' in read ? read.account : read.problems.map((p) => problemText(p, 1)).join('; '),
      );
    }
  }

  private summaryText(): string {
    return this.output === 'csv'
      ? toCsv([['summary', ...SCORE_HEADER.map(() => ''), JSON.stringify(this.summary)]])
      : JSON.stringify({ summary: this.summary }) + '\n';
  }

  private errorText(line: number | undefined, message: string, code: string): string {
    return this.output === 'csv'
      ? toCsv([errorCells(line ?? '', `${code}: ${message}`)])
      : JSON.stringify({ line: line ?? null, error: message, code, fatal: true }) + '\n';
  }
}

/** A CSV problem as one message, its line counted from the batch's first (1: already absolute). */
function problemText(p: CsvProblem, firstLine: number): string {
  const where = p.line === undefined ? '' : `line ${p.line + firstLine - 1}`;
  const col = p.column ? `${where ? ', ' : ''}column ${p.column}` : '';
  return `${where}${col}${where || col ? ': ' : ''}${p.message}`;
}

const errorCells = (line: number | string, error: string): unknown[] => [line, ...SCORE_HEADER.map(() => ''), error];

/** Each column's `"name":` as written in an NDJSON line (after the line number). */
const FIELD_PREFIXES = SCORE_HEADER.map((name) => `,${JSON.stringify(name)}:`);

const QUOTED = new Map<string, string>();

/** JSON.stringify of a string, remembered: past the key and name, a score's texts repeat (tiers, bands, actions…). */
function quoted(v: string): string {
  let q = QUOTED.get(v);
  if (q === undefined) {
    q = JSON.stringify(v);
    if (QUOTED.size >= 10_000) QUOTED.clear();
    QUOTED.set(v, q);
  }
  return q;
}

/**
 * A score as an NDJSON line: its line number, then the CSV's columns as fields, written directly (what
 * JSON.stringify of the same object gives, without making the object: this is the stream's hottest function). Values
 * are strings, finite numbers or booleans.
 */
function ndjsonLine(line: number, values: unknown[]): string {
  let out = `{"line":${line}`;
  for (let i = 0; i < FIELD_PREFIXES.length; i++) {
    const v = values[i];
    out += FIELD_PREFIXES[i] + (typeof v !== 'string' ? String(v) : i < 2 ? JSON.stringify(v) : quoted(v));
  }
  return out + '}\n';
}

/** NDJSON records: blank lines skipped; each a JSON object {key?, name?, attributes}. */
function readNdjson(batch: RecordBatch, reads: Reads): void {
  for (let i = 0; i < batch.records.length; i++) {
    const text = batch.records[i];
    const line = batch.line + i;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      reads.lines.push(line);
      reads.rows.push(`line ${line}: not JSON (${(e as Error).message})`);
      continue;
    }
    const problem = accountProblem(value);
    reads.lines.push(line);
    reads.rows.push(problem ? `line ${line}: ${problem}` : (value as AccountRow));
  }
}

/** Why a parsed line is not an account, or undefined. */
function accountProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return 'expected an object {"key", "name", "attributes": {…}}';
  const a = v as Record<string, unknown>;
  if (typeof a.attributes !== 'object' || a.attributes === null || Array.isArray(a.attributes))
    return 'attributes must be an object of attribute name → value';
  for (const f of ['key', 'name'] as const)
    if (a[f] !== undefined && a[f] !== null && typeof a[f] !== 'string') return `${f} must be a string`;
  return undefined;
}
