import { type HistoryKeyring, type HistoryPublicKeys, signedProblem, signMessage } from './history-keys';

/**
 * A signed checkpoint: "the chain of this workspace had this head hash at
 * this index at this time", signed with the history's key. An auditor keeps
 * it outside the system (a download, the checkpoint sink); later it proves
 * that nothing up to that index was rewritten, even by someone who recomputed
 * every hash after a change. Its file is exactly this object as JSON (`at` in
 * ISO 8601), the GraphQL type HistoryCheckpoint. Pure: the server, the CLI and
 * the bench share it.
 */
export interface HistoryCheckpoint {
  workspace: string;
  /** The index of the head revision; 0 for an empty chain (then `headHash` is the genesis hash). */
  chainIndex: number;
  headHash: string;
  at: Date;
  keyId: string;
  signature: string;
}

export type UnsignedCheckpoint = Omit<HistoryCheckpoint, 'keyId' | 'signature'>;

const message = (c: UnsignedCheckpoint, keyId: string) =>
  Buffer.from(
    `icp-checkpoint/v1\n${c.workspace}\n${c.chainIndex}\n${c.headHash}\n${c.at.toISOString()}\n${keyId}`,
    'utf8',
  );

export function signCheckpoint(ring: HistoryKeyring, head: UnsignedCheckpoint): HistoryCheckpoint {
  return { ...head, ...signMessage(ring, (keyId) => message(head, keyId)) };
}

/** Why a checkpoint's signature does not hold (forged, altered, unknown key, a key retired before it), or null. */
export function checkpointProblem(ring: HistoryPublicKeys, c: HistoryCheckpoint): string | null {
  return signedProblem(
    ring,
    { keyId: c.keyId, signature: c.signature, atMicros: BigInt(c.at.getTime()) * 1000n },
    message(c, c.keyId),
    "the checkpoint's signature",
    'the checkpoint',
  );
}

/** The checkpoint as its file holds it: JSON, keys in a fixed order, `at` in ISO 8601. */
export function checkpointJson(c: HistoryCheckpoint): string {
  const { workspace, chainIndex, headHash, at, keyId, signature } = c;
  return `${JSON.stringify({ workspace, chainIndex, headHash, at: at.toISOString(), keyId, signature }, null, 2)}\n`;
}

const FIELDS = {
  workspace: 'string',
  chainIndex: 'number',
  headHash: 'string',
  at: 'string',
  keyId: 'string',
  signature: 'string',
};

/** A checkpoint file's text as a checkpoint; a bad file is refused naming the field. */
export function parseCheckpoint(text: string, name = 'checkpoint'): HistoryCheckpoint {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${name} is not JSON (${(e as Error).message})`, { cause: e });
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${name} must be a JSON object`);
  for (const [field, type] of Object.entries(FIELDS))
    if (typeof raw[field] !== type) throw new Error(`${name}.${field} must be a ${type}`);
  const chainIndex = raw.chainIndex as number;
  if (!Number.isInteger(chainIndex) || chainIndex < 0)
    throw new Error(`${name}.chainIndex must be a whole number, 0 or more`);
  const at = new Date(raw.at as string);
  if (Number.isNaN(at.getTime())) throw new Error(`${name}.at must be a time in ISO 8601`);
  return {
    workspace: raw.workspace as string,
    chainIndex,
    headHash: raw.headHash as string,
    at,
    keyId: raw.keyId as string,
    signature: raw.signature as string,
  };
}
