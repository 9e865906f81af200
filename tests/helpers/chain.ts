import { type ChainedContent, GENESIS_HASH, revisionHash } from '../../api/src/core/hash-chain';
import { type HistoryKeyring, signRevision } from '../../api/src/core/history-keys';
import type { VerifiableRow } from '../../api/src/core/history-verifier';

/**
 * Signed revisions made in memory exactly as the writer makes them (index,
 * link, hash, signature), one per microsecond from `startMicros`: for pure
 * tests of the verifier and for the bench's bulk-generated chain.
 */
export function* signedChain(
  ring: HistoryKeyring | null,
  workspaceId: string,
  n: number,
  opts: { from?: number; prevHash?: string; startMicros?: bigint } = {},
): Generator<VerifiableRow & ChainedContent> {
  let prevHash = opts.prevHash ?? GENESIS_HASH;
  const from = opts.from ?? 1;
  const start = opts.startMicros ?? 1_767_225_600_000_000n; // 2026-01-01
  for (let i = from; i < from + n; i++) {
    const after = { name: `Persona ${i}`, revision: 1 };
    const content: ChainedContent = {
      workspaceId,
      chainIndex: i,
      entityType: 'Persona',
      entityId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      icpId: null,
      revision: 1,
      action: 'CREATE',
      actorId: null,
      actorLabel: 'bench@example.com',
      atMicros: String(start + BigInt(i)),
      reason: null,
      before: null,
      after,
      patch: [
        { op: 'add', path: '/name', value: after.name },
        { op: 'add', path: '/revision', value: 1 },
      ],
      prevHash,
    };
    const hash = revisionHash(content);
    const signed = ring ? signRevision(ring, hash) : { keyId: null, signature: null };
    prevHash = hash;
    yield { ...content, hash, ...signed };
  }
}
