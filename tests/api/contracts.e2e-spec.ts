import { DbSession } from '../../api/src/db/session';
import { Tier } from '../../api/src/modules/tier/tier.entity';
import { systemContext } from '../helpers/context';
import { addMember, entityOps, newIcp, newWorkspace } from '../helpers/operations';
import { startTestServer, type TestServer } from '../helpers/server';

// The contracts between the generic core, the modules and the console (issue 13).
let t: TestServer;
let h: Record<string, string>;
let wsId: string;
let icpId: string;

beforeAll(async () => {
  t = await startTestServer({ demo: false });
  ({ id: wsId, headers: h } = await newWorkspace(t, 'contracts'));
  icpId = await newIcp(t, h, 'contracts-icp');
  for (const [rank, name] of [
    [1, 'Zulu'],
    [2, 'Alpha'],
  ] as const)
    await t.ok(entityOps('Tier').create, { input: { icpId, rank, name } }, h);
});
afterAll(() => t.close());

describe('the request loaders', () => {
  it('keep apart two loads of the same children in different orders', async () => {
    // A request's context as the server makes it: one session in the workspace, where row-level security admits its rows.
    const session = new DbSession(t.ds, wsId);
    const ctx = systemContext(t.ds, wsId, { session }, { manager: () => session.manager });
    const [byRank, byName] = await Promise.all([
      ctx.loaders.children(Tier, 'icpId', { rank: 'ASC' }).load(icpId),
      ctx.loaders.children(Tier, 'icpId', { name: 'ASC' }).load(icpId),
    ]).finally(() => session.end(true));
    expect(byRank.map((x) => x.name)).toEqual(['Zulu', 'Alpha']);
    expect(byName.map((x) => x.name)).toEqual(['Alpha', 'Zulu']);
  });
});

describe('create-only fields', () => {
  it("refuse a change of an attribute's type, which the expressions were checked against", async () => {
    const { r } = await t.ok(entityOps('AttributeDefinition').create, { input: { name: 'seats', type: 'INT' } }, h);
    const res = await t.gql(
      entityOps('AttributeDefinition').update,
      { id: r.id, rev: r.revision, input: { type: 'STRING' } },
      h,
    );
    // The update input has no such field (the schema says so: UpdateAttributeDefinitionInput).
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toContain('Field "type" is not defined by type "UpdateAttributeDefinitionInput"');
    // The other fields stay editable.
    const ok = await t.ok(
      entityOps('AttributeDefinition').update,
      { id: r.id, rev: r.revision, input: { unit: 'people' } },
      h,
    );
    expect(ok.r.revision).toBe(r.revision + 1);
  });

  it('a revert cannot change a create-only field either', async () => {
    const { r } = await t.ok(entityOps('AttributeDefinition').create, { input: { name: 'plan', type: 'STRING' } }, h);
    // The stored type changed outside the API (a hand-made data fix); its history still says STRING.
    await t.sql("UPDATE attribute_definition SET type = 'BOOL' WHERE id = $1", [r.id]);
    const { r: edited } = await t.ok(
      entityOps('AttributeDefinition').update,
      { id: r.id, rev: r.revision, input: { unit: 'tier' } },
      h,
    );
    const res = await t.gql(
      `mutation($id: ID!, $to: Int!, $exp: Int!) { revertRecord(id: $id, toRevision: $to, expectedRevision: $exp) { revision } }`,
      { id: r.id, to: r.revision, exp: edited.revision },
      h,
    );
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toContain(
      'input.type: cannot be changed after the attribute definition is created',
    );
    expect((await t.sql('SELECT type FROM attribute_definition WHERE id = $1', [r.id]))[0].type).toBe('BOOL');
  });

  it("refuse moving an ICP's part to another ICP, naming the field", async () => {
    const other = await newIcp(t, h, 'contracts-other');
    const { tiers } = await t.ok(`query($f: TierFilter) { tiers(filter: $f) { id revision } }`, { f: { icpId } }, h);
    const res = await t.gql(
      entityOps('Tier').update,
      { id: tiers[0].id, rev: tiers[0].revision, input: { icpId: other } },
      h,
    );
    expect(res.errors?.[0].message).toContain('Field "icpId" is not defined by type "UpdateTierInput"');
  });
});

describe('sortable fields', () => {
  it('are an enum per type in the schema, used by the list query', async () => {
    const { __type } = await t.ok(`{ __type(name: "TierSortField") { enumValues { name } } }`, {}, h);
    expect(__type.enumValues.map((v: { name: string }) => v.name)).toEqual([
      'rank',
      'name',
      'kind',
      'createdAt',
      'updatedAt',
    ]);
    const { tiers } = await t.ok(
      `query($f: TierFilter, $s: [TierSort!]) { tiers(filter: $f, sort: $s) { name } }`,
      { f: { icpId }, s: [{ field: 'name', order: 'ASC' }] },
      h,
    );
    expect(tiers.map((x: { name: string }) => x.name)).toEqual(['Alpha', 'Zulu']);
    const inline = await t.ok(
      `query($f: TierFilter) { tiers(filter: $f, sort: [{ field: name, order: DESC }]) { name } }`,
      { f: { icpId } },
      h,
    );
    expect(inline.tiers.map((x: { name: string }) => x.name)).toEqual(['Zulu', 'Alpha']);
  });

  it('refuse a field that is not sortable, naming the enum', async () => {
    const bad = await t.gql(`{ tiers(sort: [{ field: criteria }]) { id } }`, {}, h);
    expect(bad.errors?.[0].message).toMatch(/Value "criteria" does not exist in "TierSortField" enum/);
  });
});

describe('myPermissions', () => {
  it("derives what the signed-in principal may read and change from the server's policy", async () => {
    const client = await addMember(t, 'client@contracts.test', 'CLIENT', h);
    const owner = await addMember(t, 'owner@contracts.test', 'STRATEGY_OWNER', h);
    const q = `{ myPermissions { role entities { type read write } operations } }`;
    const asClient = (await t.ok(q, {}, client.as)).myPermissions;
    expect(asClient.role).toBe('CLIENT');
    const clientTypes = Object.fromEntries(asClient.entities.map((e: any) => [e.type, e]));
    expect(clientTypes.Icp).toEqual({ type: 'Icp', read: false, write: false });
    expect(asClient.operations).toEqual(expect.arrayContaining(['fitScore', 'fitScores', 'icpVersions', 'me']));
    expect(asClient.operations).not.toContain('icps');
    const asOwner = (await t.ok(q, {}, owner.as)).myPermissions;
    const ownerTypes = Object.fromEntries(asOwner.entities.map((e: any) => [e.type, e]));
    expect(ownerTypes.Tier).toEqual({ type: 'Tier', read: true, write: true });
    expect(ownerTypes.ApiKey).toEqual({ type: 'ApiKey', read: true, write: false });
    expect(ownerTypes.Invitation).toEqual({ type: 'Invitation', read: false, write: false });
    expect(asOwner.operations).toEqual(expect.arrayContaining(['tiers', 'createTier', 'publishIcp']));
    expect(asOwner.operations).not.toContain('createApiKey');
  });

  it('asks to sign in when nobody is', async () => {
    const res = await t.gql(`{ myPermissions { role } }`, {}, { anonymous: 'true' });
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
