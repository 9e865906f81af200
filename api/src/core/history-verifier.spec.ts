import { signedChain } from '../../../tests/helpers/chain';
import { chainedContent, GENESIS_HASH, revisionHash } from './hash-chain';
import { checkpointJson, checkpointProblem, parseCheckpoint, signCheckpoint } from './history-checkpoint';
import { historyKeyring, parseRetiredKey, publicKeyring, publicKeyText, signRevision } from './history-keys';
import { type ChainSource, type VerifiableRow, verifyHistory } from './history-verifier';

const WS = '00000000-0000-4000-8000-00000000000a';
const RING = historyKeyring('01'.repeat(32));
const OTHER = historyKeyring('02'.repeat(32));
// What an auditor holds: the public key, nothing else.
const AUDITOR = publicKeyring([...RING.publicKeys.values()]);
const AT = new Date('2026-03-01T00:00:00Z');

type Row = VerifiableRow;
const chain = (n: number, ring = RING) => [...signedChain(ring, WS, n)] as Row[];

/** A source over rows in memory, in batches of 3, recording which index each read started from. */
function source(rows: Row[], reads: number[] = []): ChainSource<Row> {
  return async function* (from) {
    reads.push(from);
    const rest = rows.filter((r) => r.chainIndex >= from);
    for (let i = 0; i < rest.length; i += 3) yield rest.slice(i, i + 3);
  };
}

const checkpointOf = (rows: Row[], index: number, ring = RING, at = AT) =>
  signCheckpoint(ring, { workspace: WS, chainIndex: index, headHash: rows[index - 1]?.hash ?? GENESIS_HASH, at });

const verify = (rows: Row[], checkpoint?: ReturnType<typeof checkpointOf>, reads?: number[], keys = AUDITOR) =>
  verifyHistory({ keys, workspace: WS, lastUnsigned: 0, checkpoint }, source(rows, reads));

/** The owner's attack: change revision k, recompute every hash after it; re-sign only when holding `ring`. */
function rewrite(rows: Row[], k: number, ring: typeof RING | null): Row[] {
  const out = rows.map((r) => ({ ...r }));
  out[k - 1] = { ...out[k - 1], reason: 'rewritten' };
  for (let i = k - 1; i < out.length; i++) {
    if (i > k - 1) out[i].prevHash = out[i - 1].hash;
    out[i].hash = revisionHash(chainedContent(out[i]));
    if (ring) Object.assign(out[i], signRevision(ring, out[i].hash));
  }
  return out;
}

describe('checkpoints', () => {
  it('verify with the public key only; any altered field, or a forged signature, does not', () => {
    const cp = checkpointOf(chain(3), 3);
    expect(cp.keyId).toBe(RING.signing.keyId);
    expect(checkpointProblem(AUDITOR, cp)).toBeNull();
    const altered = [
      { workspace: '00000000-0000-4000-8000-00000000000b' },
      { chainIndex: 2 },
      { headHash: 'ab'.repeat(32) },
      { at: new Date(AT.getTime() + 1) },
      { signature: Buffer.alloc(64, 1).toString('base64') },
    ];
    for (const change of altered)
      expect([change, checkpointProblem(AUDITOR, { ...cp, ...change })]).toEqual([
        change,
        `the checkpoint's signature does not match (key ${cp.keyId})`,
      ]);
    expect(checkpointProblem(AUDITOR, signCheckpoint(OTHER, cp))).toMatch(/names key .+, which is not among/);
  });

  it('a retired key signs checkpoints up to its retirement, not after', () => {
    const retired = parseRetiredKey(
      `${publicKeyText(AUDITOR.publicKeys.get(RING.signing.keyId)!.key)}@${AT.toISOString()}`,
      'X',
    );
    const keys = publicKeyring([retired]);
    expect(checkpointProblem(keys, checkpointOf(chain(1), 1, RING, AT))).toBeNull();
    expect(checkpointProblem(keys, checkpointOf(chain(1), 1, RING, new Date(AT.getTime() + 1)))).toBe(
      `the checkpoint's signature is by key ${RING.signing.keyId}, retired at ${AT.toISOString()}, before the checkpoint was made`,
    );
  });

  it('its file is its JSON, read back to the same checkpoint; a bad file is refused naming the field', () => {
    const cp = checkpointOf(chain(2), 2);
    expect(parseCheckpoint(checkpointJson(cp))).toEqual(cp);
    expect(JSON.parse(checkpointJson(cp))).toEqual({ ...cp, at: AT.toISOString() });
    expect(() => parseCheckpoint('{', 'kept.json')).toThrow(/^kept.json is not JSON/);
    expect(() => parseCheckpoint(JSON.stringify({ ...cp, chainIndex: '2' }))).toThrow(
      'checkpoint.chainIndex must be a number',
    );
    expect(() => parseCheckpoint(JSON.stringify({ ...cp, chainIndex: -1 }))).toThrow(
      'checkpoint.chainIndex must be a whole number, 0 or more',
    );
    expect(() => parseCheckpoint(JSON.stringify({ ...cp, at: 'yesterday' }))).toThrow(
      'checkpoint.at must be a time in ISO 8601',
    );
  });
});

describe('verifyHistory', () => {
  it('a whole chain verifies from revision 1', async () => {
    expect(await verify(chain(7))).toEqual({
      valid: true,
      checked: 7,
      fromIndex: 1,
      since: null,
      brokenAt: null,
      brokenIndex: null,
      kind: null,
      problem: null,
      unsigned: 0,
    });
  });

  it('from a checkpoint it reads and checks only from the checkpoint on', async () => {
    const rows = chain(10);
    const reads: number[] = [];
    expect(await verify(rows, checkpointOf(rows, 6), reads)).toMatchObject({
      valid: true,
      checked: 5,
      fromIndex: 6,
      since: AT,
    });
    expect(reads).toEqual([6]);
  });

  it('names revision k when the owner rewrote it and recomputed every hash after it (without the key)', async () => {
    const rows = chain(10);
    const kept = checkpointOf(rows, 8);
    const tampered = rewrite(rows, 4, null);
    const v = await verify(tampered, kept);
    expect(v).toMatchObject({ valid: false, kind: 'SIGNATURE', brokenIndex: 4, brokenAt: { chainIndex: 4 } });
    expect(v.problem).toBe(`its signature does not match (key ${RING.signing.keyId})`);
  });

  it('names the checkpoint when every revision up to it holds but differs: rewritten with the key', async () => {
    const rows = chain(10);
    const v = await verify(rewrite(rows, 4, RING), checkpointOf(rows, 8));
    expect(v).toMatchObject({
      valid: false,
      kind: 'CHECKPOINT',
      brokenIndex: 8,
      brokenAt: { chainIndex: 8 },
      checked: 8,
    });
    expect(v.problem).toMatch(/^its hash is not the head hash of the checkpoint of 2026-03-01T00:00:00.000Z/);
    // Without the checkpoint that rewrite is invisible: the checkpoint is what catches it.
    expect((await verify(rewrite(rows, 4, RING))).valid).toBe(true);
  });

  it('a truncated tail is missing against a checkpoint taken after it', async () => {
    const rows = chain(10);
    const v = await verify(rows.slice(0, 7), checkpointOf(rows, 9));
    expect(v).toMatchObject({ valid: false, kind: 'MISSING', brokenIndex: 8, brokenAt: null, checked: 7 });
    expect(v.problem).toBe(
      'revision 8 is missing: the chain ends at revision 7, but the checkpoint of 2026-03-01T00:00:00.000Z has its head at revision 9',
    );
  });

  it('after the checkpoint, an unsigned revision appended with a correct chain is named', async () => {
    const rows = chain(5);
    const forged = [...signedChain(null, WS, 1, { from: 6, prevHash: rows[4].hash })];
    const v = await verify([...rows, ...forged], checkpointOf(rows, 5));
    expect(v).toMatchObject({ valid: false, kind: 'SIGNATURE', brokenIndex: 6, problem: 'it carries no signature' });
  });

  it('a forged checkpoint is red, kind CHECKPOINT, and nothing is read', async () => {
    const rows = chain(4);
    const reads: number[] = [];
    const forged = { ...checkpointOf(rows, 4), chainIndex: 3 };
    expect(await verify(rows, forged, reads)).toMatchObject({ valid: false, kind: 'CHECKPOINT', fromIndex: 3 });
    expect(reads).toEqual([]);
  });

  it('an empty chain: its checkpoint has index 0 and the genesis hash, and verifies', async () => {
    const cp = checkpointOf([], 0);
    expect(cp.headHash).toBe(GENESIS_HASH);
    expect(await verify([], cp)).toMatchObject({ valid: true, checked: 0, fromIndex: 1 });
    expect(await verify(chain(2), cp)).toMatchObject({ valid: true, checked: 2 });
  });

  it("refuses another chain's checkpoint, naming the field", async () => {
    const cp = { ...checkpointOf(chain(1), 1), workspace: '00000000-0000-4000-8000-00000000000b' };
    await expect(verify(chain(1), cp)).rejects.toMatchObject({
      path: 'checkpoint.workspace',
      message: expect.stringContaining('a checkpoint of another chain'),
    });
  });

  it('accepts unsigned revisions only in the prefix written before signing began', async () => {
    const legacy = [...signedChain(null, WS, 3)];
    const signed = [...signedChain(RING, WS, 2, { from: 4, prevHash: legacy[2].hash })];
    const run = (rows: Row[], lastUnsigned: number) =>
      verifyHistory({ keys: AUDITOR, workspace: WS, lastUnsigned }, source(rows));
    expect(await run([...legacy, ...signed], 3)).toMatchObject({ valid: true, unsigned: 3, checked: 5 });
    expect(await run([...legacy, ...signed], 2)).toMatchObject({ valid: false, brokenIndex: 3, kind: 'SIGNATURE' });
    const after = [...signedChain(null, WS, 1, { from: 6, prevHash: signed[1].hash })];
    expect(await run([...legacy, ...signed, ...after], 3)).toMatchObject({ valid: false, brokenIndex: 6 });
  });

  it('against a checkpoint, an unsigned prefix the owner raised covers nothing after the checkpoint', async () => {
    const rows = chain(5);
    const forged = [...signedChain(null, WS, 2, { from: 6, prevHash: rows[4].hash })];
    const raised = (checkpoint?: ReturnType<typeof checkpointOf>) =>
      verifyHistory({ keys: AUDITOR, workspace: WS, lastUnsigned: 1e9, checkpoint }, source([...rows, ...forged]));
    expect(await raised(checkpointOf(rows, 5))).toMatchObject({
      valid: false,
      kind: 'SIGNATURE',
      brokenIndex: 6,
      problem: 'it carries no signature',
    });
  });

  it('names revision k when the owner also stripped signatures from it on and raised the prefix', async () => {
    const rows = chain(10);
    const kept = checkpointOf(rows, 8);
    const stripped = rewrite(rows, 4, null).map((r, i) => (i >= 3 ? { ...r, keyId: null, signature: null } : r));
    const v = await verifyHistory(
      { keys: AUDITOR, workspace: WS, lastUnsigned: 1e9, checkpoint: kept },
      source(stripped),
    );
    expect(v).toMatchObject({ valid: false, kind: 'SIGNATURE', brokenIndex: 4 });
    expect(v.problem).toMatch(/though a revision before it is signed/);
  });

  it("refuses a row of another workspace's chain served in its place", async () => {
    const other = [...signedChain(RING, '00000000-0000-4000-8000-00000000000b', 3)];
    expect(await verify(other)).toMatchObject({
      valid: false,
      brokenIndex: 1,
      problem: expect.stringContaining('belongs to the chain of workspace 00000000-0000-4000-8000-00000000000b'),
    });
  });
});
