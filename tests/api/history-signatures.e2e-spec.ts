import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { loadConfig } from '../../api/src/config';
import { type ChainedContent, revisionHash } from '../../api/src/core/hash-chain';
import { revisionInsert } from '../../api/src/core/revision-writer';
import { publicKeyText, type RevisionSignature, signRevision } from '../../api/src/core/history-keys';
import { createServer } from '../../api/src/server';
import { TEST_HISTORY_KEYS, testLog } from '../helpers/db';
import { entityOps, newIcp, newWorkspace } from '../helpers/operations';
import { startTestServer, TEST_SECRET, type TestServer } from '../helpers/server';

/**
 * Issue 15, item 1: a revision no database role can forge. The application's
 * own role (icp_app) appends entries with a correct hash chain; only the
 * signature, made with a key the database never holds, tells them apart.
 */
let t: TestServer;
const persona = entityOps('Persona');
const VERIFY = `{ verifyHistory { valid checked problem brokenAt { chainIndex actorLabel } } }`;
const VERIFY_UNSIGNED = `{ verifyHistory { valid checked unsigned } }`;
const NEW_KEY = 'a1b2'.repeat(16);

beforeAll(async () => {
  t = await startTestServer({ demo: false });
});
afterAll(() => t.close());

/** A workspace with an ICP and three personas: 3 + catalogue revisions, all written by the server. */
async function workspace(slug: string) {
  const { headers, id } = await newWorkspace(t, slug);
  const icp = await newIcp(t, headers, `${slug}-icp`);
  for (let i = 0; i < 3; i++) await t.ok(persona.create, { input: { icpId: icp, name: `P${i}` } }, headers);
  return { headers, id, icp };
}

/**
 * Appends a revision as icp_app, the way the writer does (next index, link to
 * the head, hash of the canonical content), with the signature `sign` gives.
 */
async function appendAsApp(workspaceId: string, sign: (hash: string) => RevisionSignature | null): Promise<number> {
  const qr = t.ds.createQueryRunner();
  await qr.connect();
  try {
    await qr.startTransaction();
    expect((await qr.query('SELECT current_user AS u'))[0].u).toBe('icp_app');
    await qr.query(`SELECT set_config('app.workspace_id', $1, true)`, [workspaceId]);
    const [head] = await qr.query(
      `SELECT chain_index AS "chainIndex", hash, (extract(epoch FROM now()) * 1000000)::bigint::text AS "atMicros"
         FROM revision WHERE workspace_id = $1 ORDER BY chain_index DESC LIMIT 1`,
      [workspaceId],
    );
    const after = { name: 'Forged persona' };
    const content: ChainedContent = {
      workspaceId,
      chainIndex: head.chainIndex + 1,
      entityType: 'Persona',
      entityId: randomUUID(),
      icpId: null,
      revision: 1,
      action: 'CREATE',
      actorId: null,
      actorLabel: 'forger',
      atMicros: head.atMicros,
      reason: null,
      before: null,
      after,
      patch: [{ op: 'add', path: '/name', value: after.name }],
      prevHash: head.hash,
    };
    const hash = revisionHash(content);
    await qr.query(...revisionInsert(content, hash, sign(hash)));
    await qr.commitTransaction();
    return content.chainIndex;
  } finally {
    if (qr.isTransactionActive) await qr.rollbackTransaction();
    await qr.release();
  }
}

/** Another API process on the same database with its own history keys (a rotation), answering over HTTP. */
async function serverWith(env: Record<string, string>) {
  const config = { ...loadConfig({ NODE_ENV: 'test', AUTH_SECRET: 'x'.repeat(40), ...env }), port: 0 };
  const server = await createServer(config, t.ds, testLog, TEST_SECRET);
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
  const gql = async (query: string, variables: object, headers: object) => {
    const res = await request(url)
      .post('/graphql')
      .set({ authorization: `Bearer ${t.token()}`, ...headers })
      .send({ query, variables });
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data;
  };
  const verify = (headers: object) => gql(VERIFY, {}, headers).then((d) => d.verifyHistory);
  return { server, gql, verify };
}

describe('signed history entries', () => {
  it('every revision the server writes names its key and verifies with the public key', async () => {
    const { headers, id } = await workspace('signed');
    const rows = await t.sql('SELECT key_id, signature FROM revision WHERE workspace_id = $1', [id]);
    expect(rows.length).toBeGreaterThan(3);
    for (const r of rows) expect(r).toEqual({ key_id: TEST_HISTORY_KEYS.signing.keyId, signature: expect.any(String) });
    expect((await t.ok(VERIFY, {}, headers)).verifyHistory).toMatchObject({ valid: true, checked: rows.length });
  });

  it('a revision icp_app appends with a correct hash chain but no signature is red, and named', async () => {
    const { headers, id } = await workspace('unsigned');
    const forged = await appendAsApp(id, () => null);
    expect((await t.ok(VERIFY, {}, headers)).verifyHistory).toEqual({
      valid: false,
      checked: forged - 1,
      problem: 'it carries no signature',
      brokenAt: { chainIndex: forged, actorLabel: 'forger' },
    });
  });

  it('so is one claiming the current key with a signature it could not make', async () => {
    const { headers, id } = await workspace('badsig');
    const forged = await appendAsApp(id, () => ({
      keyId: TEST_HISTORY_KEYS.signing.keyId,
      signature: Buffer.alloc(64, 7).toString('base64'),
    }));
    const v = (await t.ok(VERIFY, {}, headers)).verifyHistory;
    expect(v).toMatchObject({ valid: false, checked: forged - 1, brokenAt: { chainIndex: forged } });
    expect(v.problem).toBe(`its signature does not match (key ${TEST_HISTORY_KEYS.signing.keyId})`);
  });

  it('after a rotation, entries of the retired key still verify; one it signs after its retirement does not', async () => {
    const { headers, id } = await workspace('rotated');
    const before = Number((await t.sql('SELECT count(*) AS n FROM revision WHERE workspace_id = $1', [id]))[0].n);
    const [{ now }] = await t.sql('SELECT now() AS now');
    const retired = `${publicKeyText(TEST_HISTORY_KEYS.publicKeys.get(TEST_HISTORY_KEYS.signing.keyId)!.key)}@${new Date(now).toISOString()}`;
    // The new process signs with the new key and lists the old public key, retired now.
    const b = await serverWith({ HISTORY_SIGNING_KEY: NEW_KEY, HISTORY_PUBLIC_KEYS: retired });
    // Without the old key listed, the old entries do not verify: the listing is what keeps them valid.
    const c = await serverWith({ HISTORY_SIGNING_KEY: NEW_KEY });
    try {
      const icp = await b.gql(
        `mutation($input: IcpInput!) { createIcp(input: $input) { id } }`,
        {
          input: { slug: 'after-rotation', name: 'After rotation' },
        },
        headers,
      );
      expect(icp.createIcp.id).toEqual(expect.any(String));
      const keys = await t.sql(
        'SELECT key_id, count(*)::int AS n FROM revision WHERE workspace_id = $1 GROUP BY key_id',
        [id],
      );
      expect(keys).toHaveLength(2);
      expect(await b.verify(headers)).toMatchObject({ valid: true, checked: before + 1 });
      const oldFirst = await c.verify(headers);
      expect(oldFirst).toMatchObject({ valid: false, checked: 0, brokenAt: { chainIndex: 1 } });
      expect(oldFirst.problem).toMatch(
        /^its signature names key ed25519:[0-9a-f]{16}, which is not among the history's public keys$/,
      );

      // Whoever holds the retired key cannot append with it any more.
      const forged = await appendAsApp(id, (hash) => signRevision(TEST_HISTORY_KEYS, hash));
      const v = await b.verify(headers);
      expect(v).toMatchObject({
        valid: false,
        checked: forged - 1,
        brokenAt: { chainIndex: forged, actorLabel: 'forger' },
      });
      expect(v.problem).toMatch(
        /^its signature is by key ed25519:[0-9a-f]{16}, retired at .+, before the revision was made$/,
      );
    } finally {
      await b.server.stop();
      await c.server.stop();
    }
  });
});

describe('revisions written before signing began', () => {
  it('are accepted unsigned, and counted, only up to where they ended; icp_app cannot move that point', async () => {
    const { headers, id } = await workspace('legacy');
    // As the migration does for a workspace with history: its revisions so far are the unsigned prefix.
    const old = await appendAsApp(id, () => null);
    await t.sql('INSERT INTO history_unsigned_prefix (workspace_id, last_chain_index) VALUES ($1, $2)', [id, old]);
    expect((await t.ok(VERIFY_UNSIGNED, {}, headers)).verifyHistory).toEqual({
      valid: true,
      checked: old,
      unsigned: 1,
    });
    const forged = await appendAsApp(id, () => null);
    expect((await t.ok(VERIFY_UNSIGNED, {}, headers)).verifyHistory).toEqual({
      valid: false,
      checked: old,
      unsigned: 1,
    });
    expect((await t.ok(VERIFY, {}, headers)).verifyHistory).toMatchObject({
      problem: 'it carries no signature',
      brokenAt: { chainIndex: forged },
    });
    await expect(
      t.ds.transaction(async (m) => {
        await m.query(`SELECT set_config('app.workspace_id', $1, true)`, [id]);
        await m.query('UPDATE history_unsigned_prefix SET last_chain_index = $2 WHERE workspace_id = $1', [id, forged]);
      }),
    ).rejects.toThrow(/permission denied/);
    await expect(
      t.ds.query('INSERT INTO history_unsigned_prefix (workspace_id, last_chain_index) VALUES ($1, 99)', [
        randomUUID(),
      ]),
    ).rejects.toThrow(/permission denied/);
  });
});
