import fs from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseCsv } from '../csv/csv';
import { CliError, type Config, EXIT, postStream } from './client';
import type { Io, Values } from './io';
import { RateProgress } from './progress';

/**
 * What the stream's summary line says (POST /v1/score/{icp}): the wire format, declared here because the CLI is a
 * client of the server and imports none of its code (.dependency-cruiser.cjs, cli-is-standalone).
 */
interface Summary {
  icp: string;
  version: number;
  rows: number;
  scored: number;
  errors: number;
  tiers: Record<string, number>;
  bands: Record<string, number>;
  disqualified: number;
  needsData: number;
  stopped?: { code: string; message: string };
}

/** The tail kept of the output, to read the summary (the last line) from: more than any summary's length. */
const TAIL = 1 << 16;

/**
 * `icp score --stream`: the file (or stdin) streamed to POST /v1/score/{icp} as CSV and the results written as they
 * come (CSV, or NDJSON with --json), in the file's order, bad rows inline; memory stays constant whatever the size.
 * A progress line (rows, rows/s) on stderr; the summary after it. Exit 1 when a row was bad or the stream stopped.
 */
export async function scoreStreamCommand(
  cfg: Config,
  slug: string,
  file: string,
  version: number | undefined,
  o: Values,
  io: Io,
): Promise<number> {
  let input: NodeJS.ReadableStream;
  if (file === '-') input = process.stdin;
  else {
    try {
      fs.accessSync(file, fs.constants.R_OK);
    } catch (e) {
      throw new CliError(
        `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        EXIT.FAILED,
      );
    }
    input = fs.createReadStream(file);
  }
  const json = o.json === true;
  const res = await postStream(
    cfg,
    `/v1/score/${encodeURIComponent(slug)}${version ? `?version=${version}` : ''}`,
    input,
    {
      'content-type': 'text/csv',
      accept: json ? 'application/x-ndjson' : 'text/csv',
    },
  );
  const showProgress = o.progress === true || (!!io.stderr.isTTY && !o.quiet);
  const progress = showProgress ? new RateProgress(`Scoring ${slug}`, io.stderr) : null;
  let lines = 0;
  let tail = '';
  const watch = new Transform({
    transform(chunk: Buffer, _enc, done) {
      const text = chunk.toString('utf8');
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
      tail = (tail + text).slice(-TAIL);
      progress?.update(Math.max(0, lines - (json ? 0 : 1)));
      done(null, chunk);
    },
  });
  const out = o.output ? fs.createWriteStream(o.output as string) : io.stdout;
  await pipeline(res, watch, out, { end: !!o.output });
  const summary = summaryOf(tail, json);
  progress?.finish(summary?.rows ?? lines);
  if (!summary) throw new CliError('the stream ended without its summary: the connection was cut', EXIT.FAILED);
  const counts = (m: Record<string, number>) =>
    Object.entries(m)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  io.stderr.write(
    `Scored ${summary.scored} of ${summary.rows} rows against ${summary.icp} version ${summary.version}` +
      `${summary.errors ? `; ${summary.errors} bad rows (their line and why in the ${json ? 'error field' : 'error column'})` : ''}` +
      `; tiers: ${counts(summary.tiers) || 'none'}; bands: ${counts(summary.bands) || 'none'}; ` +
      `disqualified ${summary.disqualified}; needs data ${summary.needsData}` +
      `${o.output ? `; results in ${o.output as string}` : ''}\n`,
  );
  if (summary.stopped) io.stderr.write(`Stopped: ${summary.stopped.message}\n`);
  return summary.errors || summary.stopped ? EXIT.FAILED : EXIT.OK;
}

/** The summary, from the output's last line. */
function summaryOf(tail: string, json: boolean): Summary | undefined {
  const last = tail.trimEnd().split('\n').pop() ?? '';
  try {
    if (json) return (JSON.parse(last) as { summary?: Summary }).summary;
    const cells = parseCsv(last).rows[0]?.cells;
    return cells?.[0] === 'summary' ? (JSON.parse(cells[cells.length - 1]) as Summary) : undefined;
  } catch {
    return undefined;
  }
}
