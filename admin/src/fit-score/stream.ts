import { session } from '../providers/graphql';
import { parseCsv, toCsv } from './csv';

/**
 * Batch scoring of a file larger than one GraphQL call, through the bulk
 * scoring stream (POST /v1/score/{icp}, README "Bulk scoring"). A browser
 * does not read an answer before its upload has ended (Chromium over
 * HTTP/1.1), so a whole file in one request would stall once the answer
 * fills the buffers between them: the file is sent in parts of about
 * PART_BYTES, each cut at a record's end and sent with the header row,
 * one after the other. Only one part is in memory at a time; the results
 * are kept as a Blob (the browser may keep it on disk), in the file's order,
 * each row with its line in the file.
 */
export const PART_BYTES = 1 << 20;
/** How many bad rows are kept to show (all of them are in the CSV). */
const SHOWN_BAD_ROWS = 100;

export interface StreamSummary {
  rows: number;
  scored: number;
  errors: number;
  tiers: Record<string, number>;
  bands: Record<string, number>;
  disqualified: number;
  needsData: number;
  stopped?: { code: string; message: string };
}

export interface StreamResult {
  /** The scores as CSV: line, the ranked list's columns (not ranked: the file's order), error. */
  csv: Blob;
  summary: StreamSummary;
  /** The first bad rows: their line in the file and why. */
  badRows: { line: number; error: string }[];
  version: number | null;
}

/** Bytes read from a Blob (their buffer an ArrayBuffer: a Blob part). */
type Bytes = Uint8Array<ArrayBuffer>;

const NL = 10;
const QUOTE = 34;

/** The index after the last line end outside quotes in `bytes` (quotes counted from its start), or -1. */
function lastRecordEnd(bytes: Bytes): number {
  let quoted = false;
  let end = -1;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === QUOTE) quoted = !quoted;
    else if (c === NL && !quoted) end = i + 1;
  }
  return end;
}

function lineEnds(bytes: Bytes): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === NL) n++;
  return n;
}

/** The first record (the header row) of the file, as bytes with its line end, or the whole file if it has none. */
async function headerOf(file: Blob): Promise<Bytes> {
  for (let size = 1 << 16; ; size *= 2) {
    const bytes = new Uint8Array(await file.slice(0, size).arrayBuffer());
    let quoted = false;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] === QUOTE) quoted = !quoted;
      else if (bytes[i] === NL && !quoted) return bytes.slice(0, i + 1);
    }
    if (size >= file.size) return bytes;
  }
}

export async function scoreFileAsStream(
  file: Blob,
  icp: string,
  version: number | undefined,
  onProgress: (rows: number) => void,
  cancelled: () => boolean,
): Promise<StreamResult> {
  const header = await headerOf(file);
  const headerLines = lineEnds(header);
  const parts: BlobPart[] = [];
  const summary: StreamSummary = {
    rows: 0,
    scored: 0,
    errors: 0,
    tiers: {},
    bands: {},
    disqualified: 0,
    needsData: 0,
  };
  const badRows: StreamResult['badRows'] = [];
  let scoredVersion: number | null = null;
  let offset = header.length;
  // The file line of the part's first record.
  let line = headerLines + 1;
  onProgress(0);
  while (offset < file.size && !summary.stopped) {
    if (cancelled()) throw new Error('cancelled');
    let part = new Uint8Array(await file.slice(offset, offset + PART_BYTES).arrayBuffer());
    // Cut at the last record's end; a record longer than a part goes whole (the server refuses one over 1 MiB).
    for (let size = PART_BYTES; offset + part.length < file.size; size *= 2) {
      const end = lastRecordEnd(part);
      if (end > 0) {
        part = part.slice(0, end);
        break;
      }
      if (size >= 4 * PART_BYTES) break;
      part = new Uint8Array(await file.slice(offset, offset + size * 2).arrayBuffer());
    }
    const res = await fetch(`/v1/score/${encodeURIComponent(icp)}${version ? `?version=${version}` : ''}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'text/csv',
        accept: 'text/csv',
        ...(session.active() && session.workspace() ? { 'x-workspace': session.workspace()! } : {}),
      },
      body: new Blob([header, part]),
    });
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { error?: string };
      throw new Error(body.error ?? `the server answered HTTP ${res.status}`);
    }
    scoredVersion = Number(res.headers.get('x-icp-version')) || scoredVersion;
    const rows = parseCsv(await res.text()).rows.map((r) => r.cells);
    const [columns, ...body] = rows;
    if (!parts.length) parts.push(toCsv([columns]));
    // A line of the part (its header is lines 1..headerLines) as a line of the file.
    const shift = line - headerLines - 1;
    const out: unknown[][] = [];
    for (const cells of body) {
      if (cells[0] === 'summary') {
        merge(summary, JSON.parse(cells[cells.length - 1]) as StreamSummary);
        continue;
      }
      const at = Number(cells[0]) + shift;
      const error = cells[cells.length - 1].replace(/line \d+/g, (m) => `line ${Number(m.slice(5)) + shift}`);
      if (error && badRows.length < SHOWN_BAD_ROWS) badRows.push({ line: at, error });
      out.push([Number.isFinite(at) ? at : cells[0], ...cells.slice(1, -1), error]);
    }
    parts.push(toCsv(out));
    onProgress(summary.rows);
    offset += part.length;
    line += lineEnds(part);
  }
  return { csv: new Blob(parts, { type: 'text/csv' }), summary, badRows, version: scoredVersion };
}

function merge(into: StreamSummary, s: StreamSummary): void {
  into.rows += s.rows;
  into.scored += s.scored;
  into.errors += s.errors;
  into.disqualified += s.disqualified;
  into.needsData += s.needsData;
  for (const [k, n] of Object.entries(s.tiers)) into.tiers[k] = (into.tiers[k] ?? 0) + n;
  for (const [k, n] of Object.entries(s.bands)) into.bands[k] = (into.bands[k] ?? 0) + n;
  if (s.stopped) into.stopped = s.stopped;
}
