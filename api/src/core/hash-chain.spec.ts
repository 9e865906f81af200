import { createHash } from 'node:crypto';
import {
  canonicalJson,
  type ChainedContent,
  type ChainedRow,
  chainedContent,
  chainStart,
  GENESIS_HASH,
  revisionHash,
  verifyChain,
} from '../core/hash-chain';

describe('canonicalJson', () => {
  it('sorts object keys at every level, whatever the insertion order', () => {
    const a = { b: 1, a: { d: [{ z: 1, y: 2 }], c: 'x' } };
    const b = { a: { c: 'x', d: [{ y: 2, z: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('keeps array order, which is meaning', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('drops undefined members, and writes null for undefined and null alike', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson([undefined, null])).toBe('[null,null]');
  });

  it('writes what the first implementation wrote, so chains stored before verify alike', () => {
    // The implementation the stored chains were hashed with, kept here as the reference.
    const reference = (value: unknown): string => {
      if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
      if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${reference(obj[k])}`).join(',')}}`;
    };
    let seed = 18;
    const rand = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    const leaves = [null, undefined, 0, -1.5, 1e21, true, false, '', 'é"\\\n', 'Ab'];
    const value = (depth: number): unknown => {
      const kind = depth > 3 ? 0 : rand(3);
      if (kind === 0) return leaves[rand(leaves.length)];
      const items = Array.from({ length: rand(5) }, () => value(depth + 1));
      if (kind === 1) return items;
      return Object.fromEntries(items.map((v, i) => [['b', 'a', 'B', '_', 'a"', '10', '9'][rand(7)] + i, v]));
    };
    for (let i = 0; i < 2000; i++) {
      const v = value(0);
      expect(canonicalJson(v)).toBe(reference(v));
    }
  });

  it('escapes keys and strings as JSON does', () => {
    expect(canonicalJson({ 'k"\n': 'v"\\' })).toBe('{"k\\"\\n":"v\\"\\\\"}');
  });
});

const content = (over: Partial<ChainedContent> = {}): ChainedContent => ({
  workspaceId: '00000000-0000-4000-8000-000000000001',
  chainIndex: 1,
  entityType: 'Persona',
  entityId: '00000000-0000-4000-8000-000000000002',
  icpId: null,
  revision: 1,
  action: 'CREATE',
  actorId: null,
  actorLabel: 'system',
  atMicros: '1795435729359000',
  reason: null,
  before: null,
  after: { name: 'CISO', id: '00000000-0000-4000-8000-000000000002' },
  patch: [{ op: 'add', path: '/name', value: 'CISO' }],
  prevHash: GENESIS_HASH,
  ...over,
});

describe('revisionHash', () => {
  it('is the SHA-256 of the canonical JSON of the content', () => {
    const c = content();
    expect(revisionHash(c)).toBe(createHash('sha256').update(canonicalJson(c)).digest('hex'));
  });

  // Every stored chain depends on this text: a change to the canonical form breaks every existing history.
  // The expected text and hash were written by hand and checked with `printf '%s' '…' | sha256sum`.
  it('is stable: a fixed content has a fixed text and hash', () => {
    expect(canonicalJson(content())).toBe(
      '{"action":"CREATE","actorId":null,"actorLabel":"system",' +
        '"after":{"id":"00000000-0000-4000-8000-000000000002","name":"CISO"},"atMicros":"1795435729359000",' +
        '"before":null,"chainIndex":1,"entityId":"00000000-0000-4000-8000-000000000002","entityType":"Persona",' +
        '"icpId":null,"patch":[{"op":"add","path":"/name","value":"CISO"}],' +
        `"prevHash":"${'0'.repeat(64)}","reason":null,"revision":1,"workspaceId":"00000000-0000-4000-8000-000000000001"}`,
    );
    expect(revisionHash(content())).toBe('2fa0a0c9c21a0b7213c2c46194438a4b6e2f5deeedbc91d01d2e147e264cbfb6');
  });

  it('changes with every covered field', () => {
    const base = revisionHash(content());
    const changed: Partial<ChainedContent>[] = [
      { workspaceId: '00000000-0000-4000-8000-000000000009' },
      { chainIndex: 2 },
      { entityType: 'Tier' },
      { entityId: '00000000-0000-4000-8000-000000000009' },
      { icpId: '00000000-0000-4000-8000-000000000009' },
      { revision: 2 },
      { action: 'UPDATE' },
      { actorId: '00000000-0000-4000-8000-000000000009' },
      { actorLabel: 'someone' },
      { atMicros: '1795435729359001' },
      { reason: 'why' },
      { before: {} },
      { after: { name: 'CISO ' } },
      { patch: [] },
      { prevHash: 'f'.repeat(64) },
    ];
    for (const over of changed) expect([over, revisionHash(content(over))]).not.toEqual([over, base]);
  });

  it('does not depend on the key order of the record snapshots', () => {
    const after = { name: 'CISO', id: '00000000-0000-4000-8000-000000000002' };
    const reordered = { id: after.id, name: after.name };
    expect(revisionHash(content({ after: reordered }))).toBe(revisionHash(content({ after })));
  });
});

describe('chainedContent', () => {
  it('keeps exactly the covered fields, so columns like seq, at and hash do not change the hash', () => {
    const c = content();
    const row = { ...c, seq: '17', at: new Date(0), hash: 'h' };
    expect(chainedContent(row)).toEqual(c);
    expect(revisionHash(chainedContent(row))).toBe(revisionHash(c));
  });
});

/** A valid chain of n revisions, linked and hashed as the writer does. */
function chain(n: number): ChainedRow[] {
  const rows: ChainedRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const c = content({ chainIndex: i, revision: i, prevHash, after: { name: `v${i}` } });
    prevHash = revisionHash(c);
    rows.push({ ...c, hash: prevHash });
  }
  return rows;
}

describe('verifyChain', () => {
  it('accepts a valid chain and advances the cursor past it', () => {
    const cursor = chainStart();
    expect(verifyChain(chain(5), cursor)).toBeNull();
    expect(cursor).toEqual({ prevHash: chain(5)[4].hash, nextIndex: 6 });
  });

  it('accepts an empty chain', () => {
    const cursor = chainStart();
    expect(verifyChain([], cursor)).toBeNull();
    expect(cursor).toEqual({ prevHash: GENESIS_HASH, nextIndex: 1 });
  });

  it('checks a chain in batches as one: the cursor carries the link', () => {
    const rows = chain(5);
    const cursor = chainStart();
    expect(verifyChain(rows.slice(0, 2), cursor)).toBeNull();
    expect(verifyChain(rows.slice(2), cursor)).toBeNull();
    expect(cursor.nextIndex).toBe(6);
  });

  it('reports a changed content at the row changed, and checks nothing after it', () => {
    const rows = chain(4);
    rows[2] = { ...rows[2], after: { name: 'forged' } };
    const cursor = chainStart();
    expect(verifyChain(rows, cursor)).toEqual({
      row: rows[2],
      kind: 'HASH',
      problem: 'its content does not match its hash',
    });
    expect(cursor.nextIndex).toBe(3);
  });

  it('reports a re-hashed forgery at the next row, whose link no longer matches', () => {
    const rows = chain(4);
    const forged = { ...rows[1], reason: 'forged' };
    rows[1] = { ...forged, hash: revisionHash(chainedContent(forged)) };
    expect(verifyChain(rows, chainStart())).toEqual({
      row: rows[2],
      kind: 'LINK',
      problem: 'its link to the previous revision does not match',
    });
  });

  it('reports the first row whose hash holds but whose own check does not (its signature), and stops there', () => {
    const rows = chain(4);
    const cursor = chainStart();
    const checked: number[] = [];
    const check = (row: (typeof rows)[number]) => {
      checked.push(row.chainIndex);
      return row.chainIndex === 3 ? 'it carries no signature' : null;
    };
    expect(verifyChain(rows, cursor, check)).toEqual({
      row: rows[2],
      kind: 'SIGNATURE',
      problem: 'it carries no signature',
    });
    expect(checked).toEqual([1, 2, 3]);
    expect(cursor.nextIndex).toBe(3);
    // A broken hash is reported as such, before the row's own check.
    rows[0] = { ...rows[0], reason: 'forged' };
    expect(verifyChain(rows, chainStart(), check)?.problem).toBe('its content does not match its hash');
  });

  it('reports a removed revision at the row after the gap', () => {
    const rows = chain(4);
    rows.splice(1, 1);
    expect(verifyChain(rows, chainStart())).toEqual({
      row: rows[1],
      kind: 'MISSING',
      problem: 'revision 2 of the chain is missing',
    });
  });

  it('reports reordered revisions', () => {
    const rows = chain(3);
    [rows[1], rows[2]] = [rows[2], rows[1]];
    expect(verifyChain(rows, chainStart())?.problem).toBe('revision 2 of the chain is missing');
  });

  it('reports a chain whose first revision does not start at the genesis hash', () => {
    const rows = chain(2);
    const first = { ...rows[0], prevHash: 'f'.repeat(64) };
    rows[0] = { ...first, hash: revisionHash(chainedContent(first)) };
    expect(verifyChain(rows, chainStart())?.problem).toBe('its link to the previous revision does not match');
  });
});
