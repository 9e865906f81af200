import fs from 'node:fs';
import { Client } from 'pg';
import { parseCheckpoint, type HistoryCheckpoint } from '../core/history-checkpoint';
import { type HistoryPublicKeys, parsePublicKey, publicKeyring } from '../core/history-keys';
import { chainBatches, type ChainRow, lastUnsignedIndex, SYSTEM_CHAIN } from '../core/history-rows';
import { type ChainSource, CheckpointRefused, type VerificationResult, verifyHistory } from '../core/history-verifier';
import { CliError, type Config, EXIT, getStream, gql } from './client';
import type { Io, Values } from './commands';
import { Progress } from './progress';

/**
 * `icp verify-history`: the auditor's check, made here and not by the
 * server. The chain is streamed (GET /v1/history, NDJSON) or, with --system,
 * read straight from PostgreSQL in a read-only snapshot, and checked by the
 * same verifier the server uses (core/history-verifier.ts), with public keys
 * only: the auditor's (--public-key), else the server's, which is said.
 */
const usage = (message: string) => new CliError(message, EXIT.USAGE);

/** A chain to verify: where it comes from, what the verifier needs to know of it, and how long it is. */
interface Chain {
  workspace: string;
  lastUnsigned: number;
  head: number;
  source: ChainSource<ChainRow>;
  close(): Promise<void>;
}

export async function verifyHistoryCommand(cfg: Config, _args: string[], o: Values, io: Io): Promise<number> {
  const checkpoint = o.checkpoint ? readCheckpoint(String(o.checkpoint), io) : null;
  if (o['database-url'] && !o.system) throw usage('--database-url reads the system chain: give --system too');
  if (o.system && !o['database-url']) throw usage('--system reads the chain from PostgreSQL: give --database-url');
  const keys = await publicKeys(cfg, o, io);
  const from = checkpoint?.chainIndex || 1;
  const chain = o.system ? await systemChain(String(o['database-url'])) : await streamedChain(cfg, from);
  const showProgress = o.progress === true || (!!io.stderr.isTTY && !o.quiet && !o.json);
  const progress = showProgress
    ? new Progress(Math.max(chain.head - from + 1, 0), 'Verifying the history', io.stderr)
    : null;
  let result: VerificationResult<ChainRow>;
  try {
    result = await verifyHistory(
      {
        keys,
        workspace: chain.workspace,
        lastUnsigned: chain.lastUnsigned,
        checkpoint,
        onProgress: (last) => progress?.update(Math.max(0, Math.min(last - from + 1, chain.head - from + 1))),
      },
      chain.source,
    );
  } catch (e) {
    if (e instanceof CheckpointRefused) throw usage(`${o.checkpoint}: ${e.path} ${e.message}`);
    throw e;
  } finally {
    await chain.close();
  }
  if (result.valid) progress?.finish();
  else if (progress) io.stderr.write('\n');
  io.stdout.write(o.json ? `${JSON.stringify(report(result, chain.workspace), null, 2)}\n` : describe(result, chain));
  return result.valid ? EXIT.OK : EXIT.FAILED;
}

function readCheckpoint(file: string, io: Io): HistoryCheckpoint {
  let text: string;
  try {
    text = file === '-' ? io.readStdin() : fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(
      `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      EXIT.FAILED,
    );
  }
  try {
    return parseCheckpoint(text, file);
  } catch (e) {
    throw usage((e as Error).message);
  }
}

/** The auditor's keys (--public-key, repeated), else the server's list, which it says it trusts. */
async function publicKeys(cfg: Config, o: Values, io: Io): Promise<HistoryPublicKeys> {
  const given = ([] as unknown[]).concat(o['public-key'] ?? []) as string[];
  if (given.length) {
    try {
      return publicKeyring(given.map((k) => parsePublicKey(k, '--public-key')));
    } catch (e) {
      throw usage((e as Error).message);
    }
  }
  const { historyPublicKeys } = await gql<{ historyPublicKeys: { publicKey: string; retiredAt: string | null }[] }>(
    cfg,
    '{ historyPublicKeys { publicKey retiredAt } }',
  );
  io.stderr.write(
    `Using the server's public keys (historyPublicKeys: ${historyPublicKeys.length}); pass --public-key to verify against keys you hold.\n`,
  );
  return publicKeyring(
    historyPublicKeys.map((k) => parsePublicKey(k.retiredAt ? `${k.publicKey}@${k.retiredAt}` : k.publicKey, 'server')),
  );
}

/** The key's workspace chain over HTTP: one request per walk, read as it arrives (the verifier pulls). */
async function streamedChain(cfg: Config, from: number): Promise<Chain> {
  const open = async (start: number) => ndjson(await getStream(cfg, `/v1/history?after=${start - 1}`));
  const first = await open(from);
  const header = (await first.next()).value as { workspace: string; head: number; lastUnsigned: number } | undefined;
  if (!header?.workspace) throw new CliError('the server sent no history header', EXIT.FAILED);
  let pending: AsyncGenerator<unknown> | null = first;
  return {
    ...header,
    source: async function* (start) {
      const lines = start === from && pending ? pending : await open(start);
      if (lines !== pending) await lines.next(); // its header
      pending = null;
      yield* batches(lines as AsyncGenerator<ChainRow>);
    },
    close: async () => {
      await pending?.return(undefined);
    },
  };
}

/** The NDJSON body, one parsed line at a time, read from the socket only as lines are taken. */
async function* ndjson(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
    rest = lines.pop()!;
    for (const line of lines) if (line) yield JSON.parse(line);
  }
  if (rest.trim()) yield JSON.parse(rest);
}

async function* batches<R>(rows: AsyncIterable<R>, size = 1000): AsyncGenerator<R[]> {
  let batch: R[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/**
 * The system chain (sign-ins) straight from PostgreSQL: it belongs to no
 * workspace, so no API key reads it. One READ ONLY, REPEATABLE READ
 * transaction (a consistent snapshot, nothing written), keyset batches.
 */
async function systemChain(url: string): Promise<Chain> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    throw new CliError(`cannot connect to ${redacted(url)}: ${(e as Error).message}`, EXIT.UNREACHABLE);
  }
  const query = async (sql: string, params: unknown[]) => (await client.query(sql, params)).rows as unknown[];
  await client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
  // As the application's role, row-level security shows the chain of the workspace set here; the owner sees all.
  await client.query(`SELECT set_config('app.workspace_id', $1, true)`, [SYSTEM_CHAIN]);
  const [head] = (await query('SELECT coalesce(max(chain_index), 0) AS n FROM revision WHERE workspace_id = $1', [
    SYSTEM_CHAIN,
  ])) as { n: number }[];
  return {
    workspace: SYSTEM_CHAIN,
    lastUnsigned: await lastUnsignedIndex(query, SYSTEM_CHAIN),
    head: Number(head.n),
    source: chainBatches(query, SYSTEM_CHAIN),
    close: async () => {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    },
  };
}

function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the database';
  }
}

function report(r: VerificationResult<ChainRow>, workspace: string) {
  const b = r.brokenAt;
  return {
    ...r,
    workspace,
    brokenAt: b && {
      chainIndex: b.chainIndex,
      entityType: b.entityType,
      entityId: b.entityId,
      action: b.action,
      actorLabel: b.actorLabel,
      at: b.at,
    },
  };
}

function describe(r: VerificationResult<ChainRow>, chain: Chain): string {
  const what = chain.workspace === SYSTEM_CHAIN ? 'The system chain (sign-ins)' : 'History';
  const since = r.since ? ` since the checkpoint of ${r.since.toISOString()} (revision #${r.fromIndex})` : '';
  if (r.valid) {
    const unsigned = r.unsigned ? ` (${r.unsigned} written before signing began, unsigned)` : '';
    const n = `${r.checked} revision${r.checked === 1 ? '' : 's'}`;
    return `${what} verified${since}: ${n}${unsigned}; every hash holds, links to the one before and carries a valid signature.\n`;
  }
  const b = r.brokenAt;
  const at = b
    ? ` at revision #${b.chainIndex} (${b.action} ${b.entityType} ${b.entityId}, ${new Date(b.at).toISOString()})`
    : r.brokenIndex
      ? ` at revision #${r.brokenIndex}`
      : '';
  return `${what} verification FAILED${since}${at} [${r.kind}]: ${r.problem}\n`;
}
