import {
  type ChainBreak,
  type ChainCursor,
  chainedContent,
  type ChainedRow,
  chainStart,
  GENESIS_HASH,
  type HistoryProblemKind,
  revisionHash,
  verifyChain,
} from './hash-chain';
import { checkpointProblem, type HistoryCheckpoint } from './history-checkpoint';
import { type HistoryPublicKeys, type SignedRow, signatureProblem } from './history-keys';

/**
 * The one verifier of a history chain, shared by the server (rows from
 * PostgreSQL in keyset batches), the CLI (NDJSON over HTTP, or a cursor on
 * the system chain) and the bench. It is fed rows in chain order, in
 * batches, and keeps O(1) state: the cursor, two counters, the checkpoint.
 * Needs public keys only.
 *
 * With a trusted checkpoint it checks that the row at the checkpoint's index
 * still has the checkpoint's head hash, then only what came after it. When
 * that row is gone or different, it walks again from the first revision to
 * name the first one that does not hold; if every one holds up to there, the
 * history was rewritten by someone holding the signing key, and the
 * checkpoint's index is named (kind CHECKPOINT).
 */
export type VerifiableRow = ChainedRow & SignedRow;

/** Rows of the chain from index `from` on, in chain order, to its head, in batches. */
export type ChainSource<R> = (from: number) => AsyncIterable<readonly R[]>;

export interface VerifyOptions {
  keys: HistoryPublicKeys;
  /** The chain's workspace (the checkpoint must be of it). */
  workspace: string;
  /** The last index written before signing began (history_unsigned_prefix); 0 when none. */
  lastUnsigned: number;
  checkpoint?: HistoryCheckpoint | null;
  /** Called after each batch with the index of the last revision that held. */
  onProgress?: (lastIndex: number) => void;
}

export interface VerificationResult<R> {
  valid: boolean;
  /** Revisions that held before the result was known. */
  checked: number;
  /** The first chain index checked: 1, or the checkpoint's index. */
  fromIndex: number;
  /** The checkpoint's time, when one was given. */
  since: Date | null;
  /** The first revision that does not hold; null when valid, or when what is missing is the revision itself. */
  brokenAt: R | null;
  /** Its chain index (also when it is missing). */
  brokenIndex: number | null;
  kind: HistoryProblemKind | null;
  problem: string | null;
  /** Revisions accepted unsigned (written before signing began). */
  unsigned: number;
}

/** A checkpoint that cannot be checked against this chain at all: a refusal of the input, naming the field. */
export class CheckpointRefused extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** One walk along the chain from a cursor: the rows that held, and the unsigned ones accepted. */
class Walk<R extends VerifiableRow> {
  checked = 0;
  unsigned = 0;
  constructor(
    private readonly opts: VerifyOptions,
    readonly cursor: ChainCursor,
  ) {}

  // Unsigned rows are accepted only in the prefix written before signing began; every row names the chain verified
  // (its hash covers its workspace, so a row of another chain served in its place holds otherwise).
  private readonly signature = (row: R): string | null => {
    if (row.workspaceId !== this.opts.workspace)
      return `it belongs to the chain of workspace ${row.workspaceId}, not to the one verified (${this.opts.workspace})`;
    if (!row.keyId && row.chainIndex <= lastUnsigned(this.opts)) {
      // Against a checkpoint the prefix is not taken on the database's word alone: it ends at the first signed row.
      if (this.signedSeen && this.opts.checkpoint)
        return 'it carries no signature, though a revision before it is signed: it was written after signing began';
      this.unsigned++;
      return null;
    }
    this.signedSeen ||= !!row.keyId;
    return signatureProblem(this.opts.keys, row);
  };
  private signedSeen = false;

  push(rows: readonly R[]): ChainBreak<R> | null {
    const from = this.cursor.nextIndex;
    const broken = verifyChain(rows, this.cursor, this.signature);
    this.checked += this.cursor.nextIndex - from;
    this.opts.onProgress?.(this.cursor.nextIndex - 1);
    return broken;
  }
}

const at = (c: HistoryCheckpoint) => c.at.toISOString();

/**
 * The unsigned prefix as far as a trusted checkpoint allows: checkpoints are
 * signed, so everything after one was written once signing had begun, whatever
 * the database's history_unsigned_prefix (which its owner can raise) says.
 */
const lastUnsigned = (o: VerifyOptions) =>
  o.checkpoint ? Math.min(o.lastUnsigned, o.checkpoint.chainIndex) : o.lastUnsigned;

type Red = Partial<VerificationResult<never>> & Pick<VerificationResult<never>, 'kind' | 'problem' | 'fromIndex'>;
const red = <R>(r: Red): VerificationResult<R> => ({
  valid: false,
  checked: 0,
  since: null,
  brokenAt: null,
  brokenIndex: null,
  unsigned: 0,
  ...r,
});

function outcome<R extends VerifiableRow>(
  walk: Walk<R>,
  fromIndex: number,
  since: Date | null,
  broken: ChainBreak<R> | null,
): VerificationResult<R> {
  return {
    valid: !broken,
    checked: walk.checked,
    fromIndex,
    since,
    brokenAt: broken?.row ?? null,
    brokenIndex: broken ? walk.cursor.nextIndex : null,
    kind: broken?.kind ?? null,
    problem: broken?.problem ?? null,
    unsigned: walk.unsigned,
  };
}

/** Walks from the first revision up to `upTo` (or the head); also returns the last row that held. */
async function fromStart<R extends VerifiableRow>(
  opts: VerifyOptions,
  source: ChainSource<R>,
  upTo: number,
  since: Date | null,
): Promise<{ result: VerificationResult<R>; last: R | null }> {
  const walk = new Walk<R>(opts, chainStart());
  let last: R | null = null;
  for await (const batch of source(1)) {
    const end = batch.findIndex((row) => row.chainIndex > upTo);
    const rows = end < 0 ? batch : batch.slice(0, end);
    const broken = walk.push(rows);
    if (broken) return { result: outcome(walk, 1, since, broken), last };
    if (rows.length) last = rows[rows.length - 1];
    if (end >= 0) break;
  }
  return { result: outcome(walk, 1, since, null), last };
}

/** Does the revision at the checkpoint's index still have the head hash the checkpoint signed? */
const holdsCheckpoint = (row: VerifiableRow | undefined, cp: HistoryCheckpoint) =>
  !!row &&
  row.chainIndex === cp.chainIndex &&
  row.hash === cp.headHash &&
  revisionHash(chainedContent(row)) === row.hash;

/** Verifies the chain `source` yields; see the module's comment. */
export async function verifyHistory<R extends VerifiableRow>(
  opts: VerifyOptions,
  source: ChainSource<R>,
): Promise<VerificationResult<R>> {
  const cp = opts.checkpoint ?? null;
  if (!cp) return (await fromStart(opts, source, Infinity, null)).result;
  if (cp.workspace !== opts.workspace)
    throw new CheckpointRefused(
      'checkpoint.workspace',
      `is ${cp.workspace}, a checkpoint of another chain than the one verified (${opts.workspace})`,
    );
  const since = cp.at;
  const forged = checkpointProblem(opts.keys, cp);
  if (forged) return red({ fromIndex: cp.chainIndex || 1, since, kind: 'CHECKPOINT', problem: forged });
  if (cp.chainIndex === 0) {
    if (cp.headHash !== GENESIS_HASH)
      return red({ fromIndex: 1, since, kind: 'CHECKPOINT', problem: "an empty chain's head is the genesis hash" });
    return (await fromStart(opts, source, Infinity, since)).result;
  }
  // The revision at the checkpoint's index must still be the one it signed; then only what follows is checked.
  const walk = new Walk<R>(opts, { prevHash: '', nextIndex: cp.chainIndex });
  let held = false;
  for await (const rows of source(cp.chainIndex)) {
    if (!held) {
      if (!holdsCheckpoint(rows[0], cp)) break;
      held = true;
      walk.cursor.prevHash = rows[0].prevHash;
    }
    const broken = walk.push(rows);
    if (broken) return outcome(walk, cp.chainIndex, since, broken);
  }
  if (held) return outcome(walk, cp.chainIndex, since, null);
  // It is gone or different: name the first revision up to it that does not hold.
  const { result, last } = await fromStart(opts, source, cp.chainIndex, since);
  if (!result.valid) return result;
  if (!last || last.chainIndex < cp.chainIndex) {
    const missing = (last?.chainIndex ?? 0) + 1;
    return {
      ...result,
      valid: false,
      brokenIndex: missing,
      kind: 'MISSING',
      problem: `revision ${missing} is missing: the chain ends at revision ${missing - 1}, but the checkpoint of ${at(cp)} has its head at revision ${cp.chainIndex}`,
    };
  }
  return {
    ...result,
    valid: false,
    brokenAt: last,
    brokenIndex: cp.chainIndex,
    kind: 'CHECKPOINT',
    problem: `its hash is not the head hash of the checkpoint of ${at(cp)}, though every revision up to it holds: the history up to it was rewritten by someone holding the signing key`,
  };
}
