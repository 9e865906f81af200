import type { DataSource } from 'typeorm';
import { createDataSource } from '../../api/src/db/data-source';
import { databaseSecurityProblems, tenantTables } from '../../api/src/db/security-check';
import { addMember, entityOps } from '../helpers/operations';
import { startTestServer, type TestServer } from '../helpers/server';

// Two workspaces on one server whose pool has two connections: "demo" (the
// seeds) and "other", whose only user belongs to nothing else.
let t: TestServer;
let a: Record<string, string>;
let b: Record<string, string>;
let demoId: string;
let otherId: string;
const demoIds = new Set<string>();

beforeAll(async () => {
  t = await startTestServer({ poolSize: 2 });
  a = { authorization: `Bearer ${t.token()}` };
  demoId = (await t.ok(`{ me { workspaceId } }`)).me.workspaceId;
  otherId = (await t.ok(`mutation { createWorkspace(input: { slug: "other", name: "Other Co" }) { id } }`))
    .createWorkspace.id;
  const inOther = { ...a, 'x-workspace': 'other' };
  await t.ok(`mutation { createAttributeDefinition(input: { name: "employees", type: INT }) { id } }`, {}, inOther);
  const icp = (await t.ok(`mutation { createIcp(input: { slug: "itsm", name: "Other's ITSM" }) { id } }`, {}, inOther))
    .createIcp.id;
  await t.ok(
    entityOps('Tier').create,
    { input: { icpId: icp, rank: 1, name: 'Big', criteria: 'account.employees > 1000' } },
    inOther,
  );
  await t.ok(entityOps('Persona').create, { input: { icpId: icp, name: 'Other buyer' } }, inOther);
  await t.ok(`mutation { publishIcp(icp: "itsm", changelog: "first") { version } }`, {}, inOther);
  b = {
    authorization: (await addMember(t, 'owner@other.test', 'STRATEGY_OWNER', inOther, 'other owner password')).as
      .authorization,
  };
  // Every id of the demo workspace, in every tenant table, read as the owner.
  const withIds = t.ds.entityMetadatas.filter(
    (m) => m.findColumnWithPropertyName('workspaceId') && m.findColumnWithPropertyName('id'),
  );
  for (const { tableName: table } of withIds) {
    for (const r of await t.sql(`SELECT id FROM ${table} WHERE workspace_id = $1`, [demoId])) demoIds.add(r.id);
  }
});
afterAll(() => t.close());

/** Every id and workspaceId anywhere in a response. */
function idsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => idsIn(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if ((k === 'id' || k === 'workspaceId' || k === 'entityId' || k === 'icpId') && typeof v === 'string')
        out.push(v);
      else idsIn(v, out);
    }
  }
  return out;
}

describe('workspace isolation', () => {
  it('the database set-up passes the start-up check, and the check catches an unsafe one', async () => {
    expect(tenantTables(t.ds)).toEqual(
      expect.arrayContaining([
        'workspace',
        'icp',
        'tier',
        'persona',
        'revision',
        'icp_version',
        'membership',
        'api_key',
        'example_account',
        'attribute_definition',
        'invitation',
        'webhook',
        'webhook_delivery',
      ]),
    );
    expect(tenantTables(t.ds)).toHaveLength(19);
    expect(await databaseSecurityProblems(t.ds)).toEqual([]);
    // Connected as the owner of the tables, the same check refuses.
    const owner: DataSource = createDataSource({ url: t.ownerUrl, poolSize: 1 });
    await owner.initialize();
    try {
      const problems = await databaseSecurityProblems(owner);
      expect(problems.some((p) => /superuser|owns tenant table icp\b/.test(p))).toBe(true);
    } finally {
      await owner.destroy();
    }
  });

  it('no list, nested field, history, version or score of one workspace shows the other', async () => {
    const everything = `{
      me { workspaceId }
      workspaces { id } appUsers { id email } memberships { id workspaceId } apiKeys { id }
      attributeDefinitions { id workspaceId }
      icps { id workspaceId tiers { id workspaceId personas { id } } personas { id workspaceId } useCasePatterns { id } disqualifiers { id } triggerEvents { id } scoringDimensions { id rules { id } } bands { id } exampleAccounts { id } }
      history(limit: 1000) { entityId icpId workspaceId } icpVersions(icp: "itsm") { id workspaceId icpId }
    }`;
    const seen = await t.ok(everything, {}, b);
    expect(seen.me.workspaceId).toBe(otherId);
    expect(seen.icps).toHaveLength(1);
    expect(seen.appUsers.map((u: { email: string }) => u.email).sort()).toEqual([
      'admin@example.test',
      'owner@other.test',
    ]);
    const foreign = idsIn(seen).filter((id) => id === demoId || demoIds.has(id));
    expect(foreign).toEqual([]);
    const score = await t.ok(
      `{ fitScore(icp: "itsm", account: { attributes: { employees: 5000 } }) { icpSlug tier { name } personas { name } } }`,
      {},
      b,
    );
    expect(score.fitScore).toEqual({ icpSlug: 'itsm', tier: { name: 'Big' }, personas: [{ name: 'Other buyer' }] });
    const exported = (await t.ok(`{ exportHistory(format: JSON) }`, {}, b)).exportHistory;
    expect(JSON.parse(exported).every((r: { workspaceId: string }) => r.workspaceId === otherId)).toBe(true);
  });

  it('ids guessed from the other workspace find nothing, for reading, writing, history and scoring (IDOR)', async () => {
    const demoIcp = (
      await t.sql(`SELECT id, revision FROM icp WHERE workspace_id = $1 AND slug = 'ml-inference'`, [demoId])
    )[0];
    const demoPersona = (await t.sql(`SELECT id, revision FROM persona WHERE workspace_id = $1 LIMIT 1`, [demoId]))[0];
    const attempts: [string, Record<string, unknown>][] = [
      [`query($id: ID!) { icp(id: $id) { id } }`, { id: demoIcp.id }],
      [`query($id: ID!) { persona(id: $id) { id } }`, { id: demoPersona.id }],
      [
        `mutation($id: ID!, $r: Int!) { updatePersona(id: $id, expectedRevision: $r, input: { name: "pwned" }) { id } }`,
        { id: demoPersona.id, r: demoPersona.revision },
      ],
      [
        `mutation($id: ID!, $r: Int!) { deletePersona(id: $id, expectedRevision: $r) { id } }`,
        { id: demoPersona.id, r: demoPersona.revision },
      ],
      [`query($id: ID!) { recordAsOf(id: $id, revision: 1) { after } }`, { id: demoPersona.id }],
      [
        `mutation($id: ID!) { revertRecord(id: $id, toRevision: 1, expectedRevision: 1) { id } }`,
        { id: demoPersona.id },
      ],
      [`query($id: String!) { fitScore(icp: $id, account: { attributes: {} }) { score } }`, { id: demoIcp.id }],
      [`query($id: String!) { icpVersion(icp: $id) { snapshot } }`, { id: demoIcp.id }],
      [`mutation($id: ID!) { createPersona(input: { icpId: $id, name: "sneaky" }) { id } }`, { id: demoIcp.id }],
    ];
    for (const [query, variables] of attempts) {
      const res = await t.gql(query, variables, b);
      expect([query, res.errors?.[0]?.extensions?.code]).toEqual([query, 'NOT_FOUND']);
    }
    const history = await t.ok(
      `query($id: ID!) { history(filter: { entityId: $id }) { seq } }`,
      { id: demoPersona.id },
      b,
    );
    expect(history.history).toEqual([]);
    // The demo persona is untouched.
    expect((await t.sql(`SELECT name, revision FROM persona WHERE id = $1`, [demoPersona.id]))[0].revision).toBe(
      demoPersona.revision,
    );
  });

  it('1,000 interleaved requests from both workspaces over a pool of 2, some failing mid-transaction: 0 foreign rows', async () => {
    const readAll = `{ me { workspaceId } icps { id workspaceId tiers { id workspaceId } personas { id workspaceId } } attributeDefinitions { id workspaceId } history(limit: 20) { workspaceId entityId } }`;
    let foreign = 0;
    let failed = 0;
    let reads = 0;
    const own = { a: demoId, b: otherId };
    const firstIcp = {
      a: (await t.ok(`{ icps { id } }`, {}, a)).icps[0].id,
      b: (await t.ok(`{ icps { id } }`, {}, b)).icps[0].id,
    };
    const run = async (i: number) => {
      const who = i % 2 === 0 ? 'a' : 'b';
      const headers = who === 'a' ? a : b;
      if (i % 10 === 3) {
        // A unit of work that writes, then fails at the database (a second tier with the same rank): rolled back.
        const res = await t.gql(
          `mutation($i: CreateTierInput!) { createTier(input: $i) { id } }`,
          { i: { icpId: firstIcp[who], rank: 1, name: `dup ${i}` } },
          headers,
        );
        if (res.errors) failed++;
        return;
      }
      const res = await t.gql(readAll, {}, headers);
      expect(res.errors).toBeUndefined();
      reads++;
      const mine = own[who];
      const ids = idsIn(res.data);
      const workspaceIds = JSON.stringify(res.data).match(/"workspaceId":"([^"]+)"/g) ?? [];
      foreign += workspaceIds.filter((w) => !w.includes(mine)).length;
      foreign += ids.filter((id) => (who === 'b' ? demoIds.has(id) || id === demoId : id === otherId)).length;
    };
    // Four at a time over two connections: requests queue for a connection and interleave.
    for (let i = 0; i < 1000; i += 4) await Promise.all(Array.from({ length: 4 }, (_, j) => run(i + j)));
    expect(failed).toBe(100);
    expect(reads).toBe(900);
    expect(foreign).toBe(0);
    // The failed writes left nothing behind.
    expect(await t.sql(`SELECT count(*)::int AS n FROM tier WHERE name LIKE 'dup %'`)).toEqual([{ n: 0 }]);
  }, 120_000);
});
