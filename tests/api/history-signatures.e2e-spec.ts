import { randomUUID } from 'node:crypto';
import { publicKeyText, signRevision } from '../../api/src/core/history-keys';
import { appendAsApp } from '../helpers/history';
import { TEST_HISTORY_KEYS } from '../helpers/db';
import { entityOps, newIcp, newWorkspace } from '../helpers/operations';
import { siblingServer, startTestServer, type TestServer } from '../helpers/server';

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

/** Another API process on the same database with its own history keys (a rotation), answering over HTTP. */
async function serverWith(env: Record<string, string>) {
  const { server, gql } = await siblingServer(t, env);
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
    const forged = await appendAsApp(t, id, () => null);
    expect((await t.ok(VERIFY, {}, headers)).verifyHistory).toEqual({
      valid: false,
      checked: forged - 1,
      problem: 'it carries no signature',
      brokenAt: { chainIndex: forged, actorLabel: 'forger' },
    });
  });

  it('so is one claiming the current key with a signature it could not make', async () => {
    const { headers, id } = await workspace('badsig');
    const forged = await appendAsApp(t, id, () => ({
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
        `mutation($input: CreateIcpInput!) { createIcp(input: $input) { id } }`,
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
      const forged = await appendAsApp(t, id, (hash) => signRevision(TEST_HISTORY_KEYS, hash));
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
    const old = await appendAsApp(t, id, () => null);
    await t.sql('INSERT INTO history_unsigned_prefix (workspace_id, last_chain_index) VALUES ($1, $2)', [id, old]);
    expect((await t.ok(VERIFY_UNSIGNED, {}, headers)).verifyHistory).toEqual({
      valid: true,
      checked: old,
      unsigned: 1,
    });
    const forged = await appendAsApp(t, id, () => null);
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
