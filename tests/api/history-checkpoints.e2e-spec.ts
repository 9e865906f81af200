import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { SYSTEM_WORKSPACE } from '../../api/src/auth/auth.service';
import {
  checkpointJson,
  type HistoryCheckpoint,
  parseCheckpoint,
  signCheckpoint,
} from '../../api/src/core/history-checkpoint';
import { publicKeyText } from '../../api/src/core/history-keys';
import { recordRevision } from '../../api/src/core/revision-writer';
import { RevisionAction } from '../../api/src/core/revision.entity';
import { withTransaction } from '../../api/src/db/transaction';
import { historyService } from '../../api/src/versioning/history.service';
import { DirectorySink } from '../../api/src/versioning/checkpoint-sink';
import { systemContext } from '../helpers/context';
import { TEST_ADMIN, TEST_HISTORY_KEYS } from '../helpers/db';
import { appendAsApp, asOwnerUnguarded, rewriteFrom } from '../helpers/history';
import { addMember, entityOps, newIcp, newWorkspace } from '../helpers/operations';
import { login, siblingServer, startTestServer, type TestServer } from '../helpers/server';

/**
 * Issue 15, items 2, 3 and 5: signed checkpoints an auditor keeps outside
 * the system, verification from them, scheduled checkpoints in an
 * append-only directory, and the system chain of sign-ins.
 */
let t: TestServer;
let sinkDir: string;
const EVERY = 5;
const persona = entityOps('Persona');
const CHECKPOINT = `{ historyCheckpoint { workspace chainIndex headHash at keyId signature } }`;
const VERIFY = `query($c: HistoryCheckpointInput) {
  verifyHistory(checkpoint: $c) { valid checked problem problemKind since fromIndex brokenAt { chainIndex actorLabel } }
}`;

beforeAll(async () => {
  sinkDir = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-checkpoints-'));
  t = await startTestServer({
    demo: false,
    config: { checkpointEvery: { revisions: EVERY, minutes: null }, checkpointDir: sinkDir },
  });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(sinkDir, { recursive: true, force: true });
});

async function workspace(slug: string, personas = 3) {
  const { headers, id } = await newWorkspace(t, slug);
  const icp = await newIcp(t, headers, `${slug}-icp`);
  for (let i = 0; i < personas; i++) await t.ok(persona.create, { input: { icpId: icp, name: `P${i}` } }, headers);
  return { headers, id, icp };
}

const checkpoint = async (headers: Record<string, string>): Promise<HistoryCheckpoint> =>
  (await t.ok(CHECKPOINT, {}, headers)).historyCheckpoint;
const verify = async (headers: Record<string, string>, c?: HistoryCheckpoint | object) =>
  (await t.ok(VERIFY, { c }, headers)).verifyHistory;
const headOf = async (ws: string) =>
  (await t.sql('SELECT max(chain_index)::int AS n FROM revision WHERE workspace_id = $1', [ws]))[0].n as number;

describe('historyCheckpoint and verifyHistory(checkpoint)', () => {
  it('signs the head now; verifying from it checks only what came after, and says since when', async () => {
    const { headers, id, icp } = await workspace('cp-green');
    const kept = await checkpoint(headers);
    const head = await headOf(id);
    const [row] = await t.sql('SELECT hash FROM revision WHERE workspace_id = $1 AND chain_index = $2', [id, head]);
    expect(kept).toEqual({
      workspace: id,
      chainIndex: head,
      headHash: row.hash,
      at: expect.any(String),
      keyId: TEST_HISTORY_KEYS.signing.keyId,
      signature: expect.any(String),
    });
    // The checkpoint file is exactly this JSON.
    expect(JSON.parse(checkpointJson(parseCheckpoint(JSON.stringify(kept))))).toEqual(kept);
    await t.ok(persona.create, { input: { icpId: icp, name: 'After' } }, headers);
    expect(await verify(headers, kept)).toEqual({
      valid: true,
      checked: 2,
      problem: null,
      problemKind: null,
      since: kept.at,
      fromIndex: head,
      brokenAt: null,
    });
    expect(await verify(headers)).toMatchObject({ valid: true, checked: head + 1, fromIndex: 1, since: null });
  });

  it('the owner rewrites revision k and recomputes every hash after it: red, naming k', async () => {
    const { headers, id } = await workspace('cp-rewrite', 6);
    const kept = await checkpoint(headers);
    const k = 4;
    await rewriteFrom(t, id, k, null);
    const v = await verify(headers, kept);
    expect(v).toMatchObject({ valid: false, problemKind: 'SIGNATURE', brokenAt: { chainIndex: k }, since: kept.at });
    expect(v.problem).toBe(`its signature does not match (key ${TEST_HISTORY_KEYS.signing.keyId})`);
  });

  it('rewritten by someone holding the signing key: only the kept checkpoint tells, naming its index', async () => {
    const { headers, id } = await workspace('cp-keyholder', 6);
    const kept = await checkpoint(headers);
    await rewriteFrom(t, id, 4, TEST_HISTORY_KEYS);
    expect(await verify(headers)).toMatchObject({ valid: true });
    const v = await verify(headers, kept);
    expect(v).toMatchObject({ valid: false, problemKind: 'CHECKPOINT', brokenAt: { chainIndex: kept.chainIndex } });
    expect(v.problem).toMatch(
      /^its hash is not the head hash of the checkpoint of .+: the history up to it was rewritten/,
    );
  });

  it('icp_app appends a correctly chained revision without the key: red, naming it', async () => {
    const { headers, id } = await workspace('cp-append');
    const kept = await checkpoint(headers);
    const forged = await appendAsApp(t, id, () => null);
    expect(await verify(headers, kept)).toMatchObject({
      valid: false,
      problemKind: 'SIGNATURE',
      problem: 'it carries no signature',
      brokenAt: { chainIndex: forged, actorLabel: 'forger' },
    });
  });

  it('the newest revisions deleted (the tail truncated): red against a checkpoint taken after them', async () => {
    const { headers, id } = await workspace('cp-truncate');
    const kept = await checkpoint(headers);
    await asOwnerUnguarded(t, (c) =>
      c.query('DELETE FROM revision WHERE workspace_id = $1 AND chain_index > $2', [id, kept.chainIndex - 2]),
    );
    const v = await verify(headers, kept);
    expect(v).toMatchObject({ valid: false, problemKind: 'MISSING', brokenAt: null });
    expect(v.problem).toBe(
      `revision ${kept.chainIndex - 1} is missing: the chain ends at revision ${kept.chainIndex - 2}, but the checkpoint of ${kept.at} has its head at revision ${kept.chainIndex}`,
    );
    // Without the checkpoint a truncated chain looks whole: that is what the kept checkpoint is for.
    expect(await verify(headers)).toMatchObject({ valid: true });
  });

  it('a forged or altered checkpoint is red (CHECKPOINT); one of another workspace is refused naming the field', async () => {
    const { headers } = await workspace('cp-forged', 1);
    const kept = await checkpoint(headers);
    expect(await verify(headers, { ...kept, chainIndex: kept.chainIndex - 1 })).toMatchObject({
      valid: false,
      problemKind: 'CHECKPOINT',
      problem: `the checkpoint's signature does not match (key ${kept.keyId})`,
    });
    const other = await workspace('cp-other', 0);
    const res = await t.gql(VERIFY, { c: await checkpoint(other.headers) }, headers);
    expect(res.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [{ path: 'checkpoint.workspace', message: expect.stringContaining('a checkpoint of another chain') }],
    });
  });

  it('key rotation: entries and checkpoints of the old key still verify; one claiming it after retirement does not', async () => {
    const { headers, id } = await workspace('cp-rotated');
    const kept = await checkpoint(headers);
    const [{ now }] = await t.sql('SELECT now() AS now');
    const retiredAt = new Date(now);
    const oldKey = publicKeyText(TEST_HISTORY_KEYS.publicKeys.get(TEST_HISTORY_KEYS.signing.keyId)!.key);
    const b = await siblingServer(t, {
      HISTORY_SIGNING_KEY: 'a1b2'.repeat(16),
      HISTORY_PUBLIC_KEYS: `${oldKey}@${retiredAt.toISOString()}`,
    });
    try {
      await b.gql(
        `mutation($input: CreateIcpInput!) { createIcp(input: $input) { id } }`,
        { input: { slug: 'rot', name: 'Rot' } },
        headers,
      );
      const viaB = (c?: object) => b.gql(VERIFY, { c }, headers).then((d) => d.verifyHistory);
      expect(await viaB(kept)).toMatchObject({ valid: true, checked: 2 });
      const fresh = (await b.gql(CHECKPOINT, {}, headers)).historyCheckpoint;
      expect(fresh.keyId).not.toBe(kept.keyId);
      expect(await viaB(fresh)).toMatchObject({ valid: true, checked: 1 });
      // Whoever kept the retired key signs a checkpoint dated after its retirement: refused.
      const late = signCheckpoint(TEST_HISTORY_KEYS, {
        workspace: id,
        chainIndex: fresh.chainIndex,
        headHash: fresh.headHash,
        at: new Date(retiredAt.getTime() + 1000),
      });
      const v = await viaB(JSON.parse(checkpointJson(late)));
      expect(v).toMatchObject({ valid: false, problemKind: 'CHECKPOINT' });
      expect(v.problem).toMatch(/is by key ed25519:[0-9a-f]{16}, retired at .+, before the checkpoint was made$/);
      const keys = (
        await b.gql(
          `{ historyPublicKeys { keyId publicKey current retiredAt revisions firstSignedAt lastSignedAt } }`,
          {},
          headers,
        )
      ).historyPublicKeys;
      expect(keys).toEqual([
        expect.objectContaining({ current: true, retiredAt: null, revisions: 1 }),
        expect.objectContaining({
          keyId: TEST_HISTORY_KEYS.signing.keyId,
          publicKey: oldKey,
          current: false,
          retiredAt: retiredAt.toISOString(),
          revisions: kept.chainIndex,
        }),
      ]);
    } finally {
      await b.server.stop();
    }
  });
});

describe('scheduled checkpoints (CHECKPOINT_EVERY)', () => {
  const filesOf = (ws: string) =>
    fs.existsSync(path.join(sinkDir, ws)) ? fs.readdirSync(path.join(sinkDir, ws)).sort() : [];

  it('are written to the sink directory every N revisions, each a checkpoint that verifies', async () => {
    const { headers, id } = await workspace('cp-scheduled', 8);
    await t.server.checkpoints!.idle();
    const head = await headOf(id);
    const expected = Array.from({ length: Math.floor(head / EVERY) }, (_, i) => (i + 1) * EVERY);
    const files = filesOf(id);
    expect(files).toEqual(expected.map((n) => `${String(n).padStart(12, '0')}.json`));
    for (const f of files) {
      const kept = fs.readFileSync(path.join(sinkDir, id, f), 'utf8');
      expect(await verify(headers, JSON.parse(kept))).toMatchObject({ valid: true });
      expect(fs.statSync(path.join(sinkDir, id, f)).mode & 0o222).toBe(0);
    }
  });

  it('are never overwritten: the same checkpoint twice, even at once from two processes, keeps the first', async () => {
    const { headers, id } = await workspace('cp-twice', 0);
    const sink = new DirectorySink(sinkDir);
    const first = await checkpoint(headers);
    const second = { ...(await checkpoint(headers)), at: new Date(Date.now() + 5000).toISOString() };
    const results = await Promise.all([
      sink.put(parseCheckpoint(JSON.stringify(first))),
      sink.put(parseCheckpoint(JSON.stringify(first))),
    ]);
    expect(results.sort()).toEqual(['exists', 'written']);
    expect(await sink.put(parseCheckpoint(JSON.stringify(second)))).toBe('exists');
    const file = sink.fileOf({ workspace: id, chainIndex: first.chainIndex });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(first);
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('none for a rolled-back write', async () => {
    const { id } = await workspace('cp-rollback', 0);
    const ctx = systemContext(t.ds, id, { checkpoints: t.server.checkpoints });
    const write = (fail: boolean) =>
      withTransaction(ctx, async (tx) => {
        await recordRevision(tx, {
          entityType: 'Persona',
          entityId: randomUUID(),
          workspaceId: id,
          icpId: null,
          revision: 1,
          action: RevisionAction.CREATE,
          before: null,
          after: { name: 'x' },
        });
        if (fail) throw new Error('rolled back');
      });
    const head = await headOf(id);
    // Writes up to one short of a multiple of EVERY; the next would be checkpointed.
    for (let i = head; i % EVERY !== EVERY - 1; i++) await write(false);
    await t.server.checkpoints!.idle();
    const before = filesOf(id);
    await expect(write(true)).rejects.toThrow('rolled back');
    await t.server.checkpoints!.idle();
    expect(filesOf(id)).toEqual(before);
    await write(false);
    await t.server.checkpoints!.idle();
    expect(filesOf(id)).toHaveLength(before.length + 1);
  });
});

describe('the system chain: sign-ins', () => {
  const system = () => systemContext(t.ds, SYSTEM_WORKSPACE);
  const verifySystem = () => withTransaction(system(), (tx) => historyService.verify(tx));

  it('every sign-in, succeeded or refused, is a revision of the system chain, verified like data changes', async () => {
    const before = await headOf(SYSTEM_WORKSPACE);
    await login(t.baseUrl, TEST_ADMIN.email, TEST_ADMIN.password);
    await request(t.baseUrl)
      .post('/graphql')
      .send({ query: `mutation { login(email: "${TEST_ADMIN.email}", password: "wrong password!") { token } }` });
    const rows = await t.sql(
      `SELECT chain_index, after, key_id FROM revision WHERE workspace_id = $1 AND chain_index > $2 ORDER BY chain_index`,
      [SYSTEM_WORKSPACE, before],
    );
    expect(rows.map((r) => [r.after.email, r.after.succeeded, r.key_id])).toEqual([
      [TEST_ADMIN.email, true, TEST_HISTORY_KEYS.signing.keyId],
      [TEST_ADMIN.email, false, TEST_HISTORY_KEYS.signing.keyId],
    ]);
    expect(await verifySystem()).toMatchObject({ valid: true, checked: before + 2 });
  });

  it('a sign-in rewritten in the database is detected and named', async () => {
    await addMember(t, 'signin-victim@example.test', 'AUDITOR');
    const head = await headOf(SYSTEM_WORKSPACE);
    await asOwnerUnguarded(t, (c) =>
      c.query(
        `UPDATE revision SET after = jsonb_set(after, '{succeeded}', 'false') WHERE workspace_id = $1 AND chain_index = $2`,
        [SYSTEM_WORKSPACE, head],
      ),
    );
    expect(await verifySystem()).toMatchObject({
      valid: false,
      kind: 'HASH',
      brokenAt: { chainIndex: head },
      problem: 'its content does not match its hash',
    });
  });
});

describe('GET /v1/history (the chain for client-side verification)', () => {
  it('streams the workspace chain as NDJSON after an index, to whoever may verify it, and to nobody else', async () => {
    const { headers, id } = await workspace('cp-stream', 2);
    const head = await headOf(id);
    const get = (q: string, h: Record<string, string>) => request(t.baseUrl).get(`/v1/history${q}`).set(h);
    const res = await get('?after=3', { authorization: `Bearer ${t.token()}`, ...headers });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const [header, ...rows] = res.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(header).toEqual({ workspace: id, head, lastUnsigned: 0 });
    expect(rows.map((r) => r.chainIndex)).toEqual(Array.from({ length: head - 3 }, (_, i) => i + 4));
    expect(rows[0]).toMatchObject({
      workspaceId: id,
      keyId: TEST_HISTORY_KEYS.signing.keyId,
      atMicros: expect.any(String),
    });

    expect((await get('', {})).status).toBe(401);
    const client = await addMember(t, 'stream-client@example.test', 'CLIENT', headers);
    const refused = await get('', client.as);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('Your role CLIENT may not use "verifyHistory"');
    const bad = await get('?after=-1', { authorization: `Bearer ${t.token()}`, ...headers });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('after must be a chain index (a whole number), got "-1"');
  });
});
