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
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
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
