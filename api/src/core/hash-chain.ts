import { createHash } from 'node:crypto';

/**
 * The tamper-evidence of the history: each revision's hash covers its
 * canonical content and the previous revision's hash, so changing, removing
 * or reordering any stored revision breaks every hash after it. Pure: the
 * writer and the verifier share it.
 */

/** JSON with object keys sorted at every level: one text for one value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  // Built by concatenation, without intermediate arrays: every revision is hashed through this (issue 18).
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  out = '{';
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

/** The fields of a revision the hash covers (everything but the hash itself). */
export interface ChainedContent {
  workspaceId: string;
  chainIndex: number;
  entityType: string;
  entityId: string;
  icpId: string | null;
  revision: number;
  action: string;
  actorId: string | null;
  actorLabel: string;
  /** Microseconds since the epoch, from the database's clock. */
  atMicros: string;
  reason: string | null;
  before: unknown;
  after: unknown;
  patch: unknown;
  prevHash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

export function revisionHash(content: ChainedContent): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** A stored revision as the verifier reads it: its chained content and its hash (other columns are ignored). */
export type ChainedRow = ChainedContent & { hash: string };

/** Where a walk of the chain stands: the hash and position the next revision must link to. */
export interface ChainCursor {
  prevHash: string;
  nextIndex: number;
}

export const chainStart = (): ChainCursor => ({ prevHash: GENESIS_HASH, nextIndex: 1 });

/** Exactly the fields the hash covers, whatever else the row carries. */
export function chainedContent(row: ChainedContent): ChainedContent {
  return {
    workspaceId: row.workspaceId,
    chainIndex: row.chainIndex,
    entityType: row.entityType,
    entityId: row.entityId,
    icpId: row.icpId,
    revision: row.revision,
    action: row.action,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    atMicros: row.atMicros,
    reason: row.reason,
    before: row.before,
    after: row.after,
    patch: row.patch,
    prevHash: row.prevHash,
  };
}

/** Why a revision fails verification: its hash, its link, its place, its signature, or a kept checkpoint. */
export type HistoryProblemKind = 'HASH' | 'LINK' | 'MISSING' | 'SIGNATURE' | 'CHECKPOINT';

export interface ChainBreak<R> {
  row: R;
  kind: HistoryProblemKind;
  problem: string;
}

/**
 * Checks the next rows of a chain, in chain order, from `cursor` (which it
 * advances past every row that holds). Returns the first row that breaks the
 * chain and why, or null when all hold; a chain may be checked in batches.
 * `check` adds a test of each row whose hash holds (its signature).
 */
export function verifyChain<R extends ChainedRow>(
  rows: readonly R[],
  cursor: ChainCursor,
  check: (row: R) => string | null = () => null,
): ChainBreak<R> | null {
  for (const row of rows) {
    if (row.chainIndex !== cursor.nextIndex)
      return { row, kind: 'MISSING', problem: `revision ${cursor.nextIndex} of the chain is missing` };
    if (row.prevHash !== cursor.prevHash)
      return { row, kind: 'LINK', problem: 'its link to the previous revision does not match' };
    if (revisionHash(chainedContent(row)) !== row.hash)
      return { row, kind: 'HASH', problem: 'its content does not match its hash' };
    const problem = check(row);
    if (problem) return { row, kind: 'SIGNATURE', problem };
    cursor.prevHash = row.hash;
    cursor.nextIndex++;
  }
  return null;
}
