import { applyPatch, deepClone, type Operation } from 'fast-json-patch';
import { addMember, entityOps } from '../helpers/operations';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * Published versions as clients read them (issue 17): typed records that are
 * their own types, readable with a CLIENT key; fields a role may not read
 * refused one by one; `icpDiff` a JSON Patch that applies to the snapshot.
 */
let t: TestServer;
const as: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  t = await startTestServer();
  as.ADMIN = { authorization: `Bearer ${t.token()}` };
  for (const role of ['STRATEGY_OWNER', 'AUDITOR'])
    as[role] = (await addMember(t, `${role.toLowerCase()}@example.test`, role)).as;
  const { createApiKey } = await t.ok(`mutation { createApiKey(input: { name: "crm", role: CLIENT }) { key } }`);
  as.CLIENT = { authorization: `Bearer ${createApiKey.key}` };
  as.anonymous = { anonymous: 'true' };
});
afterAll(() => t.close());

const TYPED = `query($icp: String!, $v: Int) { icpVersion(icp: $icp, version: $v) {
  id icpId version
  icp { id partId icpVersion slug name characteristics mustHave { description expression } }
  tiers { id partId name rank criteria provenance { derived document section } }
  personas { id partId name buyingRoles tierId tier { id partId name } }
  useCasePatterns { id name industry painPoints }
  disqualifiers { id name expression reason }
  triggerEvents { id name }
  scoringDimensions { id partId name max rules { id name points dimensionId } }
  scoringRules { id name }
  bands { id name minScore action }
  exampleAccounts { id name }
  attributes { name type allowedValues }
} }`;

describe('icpVersion, typed, for client tools', () => {
  it('a CLIENT key reads every part of a published version as typed records, each under an id of that version', async () => {
    const typed = (await t.ok(TYPED, { icp: 'make-enterprise', v: 1 }, as.CLIENT)).icpVersion;
    const { icpVersion: raw } = await t.ok(
      `{ icpVersion(icp: "make-enterprise", version: 1) { snapshotText } }`,
      {},
      as.CLIENT,
    );
    const snapshot = JSON.parse(raw.snapshotText);
    const prefix = `${typed.icpId}:${typed.version}:`;
    expect(typed.icp).toMatchObject({ id: `${prefix}${typed.icpId}`, partId: typed.icpId, slug: 'make-enterprise' });
    for (const [field, key] of [
      ['tiers', 'tiers'],
      ['personas', 'personas'],
      ['useCasePatterns', 'useCasePatterns'],
      ['disqualifiers', 'disqualifiers'],
      ['triggerEvents', 'triggerEvents'],
      ['scoringDimensions', 'scoringDimensions'],
      ['scoringRules', 'scoringRules'],
      ['bands', 'actionBands'],
      ['exampleAccounts', 'exampleAccounts'],
    ]) {
      expect([field, typed[field].map((r: { name: string }) => r.name)]).toEqual([
        field,
        snapshot[key].map((r: { name: string }) => r.name),
      ]);
      for (const r of typed[field]) expect(r.id).toBe(`${prefix}${r.id.slice(prefix.length)}`);
    }
    expect(typed.tiers.map((x: { rank: number }) => x.rank)).toEqual([1, 2]);
    // Links stay inside the version: a persona's tier is the published tier, not the draft's.
    const linked = typed.personas.filter((p: { tierId: string | null }) => p.tierId);
    expect(linked.length).toBeGreaterThan(0);
    for (const p of linked) {
      const tier = typed.tiers.find((x: { partId: string }) => x.partId === p.tierId);
      expect(p.tier).toEqual({ id: `${prefix}${p.tierId}`, partId: p.tierId, name: tier.name });
    }
    const rules = typed.scoringDimensions.flatMap((d: { rules: unknown[] }) => d.rules);
    expect(rules).toHaveLength(typed.scoringRules.length);
    expect(typed.attributes.map((a: { name: string }) => a.name)).toEqual(
      snapshot.attributes.map((a: { name: string }) => a.name),
    );
  });

  it('snapshot is deprecated with a reason pointing at the typed fields', async () => {
    const { __type } = await t.ok(
      `{ __type(name: "IcpVersion") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }`,
    );
    const snapshot = __type.fields.find((f: { name: string }) => f.name === 'snapshot');
    expect(snapshot).toMatchObject({ isDeprecated: true, deprecationReason: expect.stringMatching(/typed fields/) });
  });

  it('the same part in two versions, and its draft, are three cache entries', async () => {
    const PERSONAS = `query($v: Int) { icpVersion(icp: "itsm", version: $v) { personas { id partId name } } }`;
    const v1 = (await t.ok(PERSONAS, { v: 1 })).icpVersion.personas[0];
    const { icpBySlug } = await t.ok(`{ icpBySlug(idOrSlug: "itsm") { id personas { id revision } } }`);
    const draft = icpBySlug.personas[0];
    expect(v1.partId).toBe(draft.id);
    await t.ok(entityOps('Persona').update, { id: draft.id, rev: draft.revision, input: { quote: 'New quote' } });
    await t.ok(`mutation { publishIcp(icp: "itsm", changelog: "A persona's quote") { version } }`);
    const v2 = (await t.ok(PERSONAS, { v: 2 })).icpVersion.personas[0];
    expect(new Set([v1.id, v2.id, draft.id]).size).toBe(3);
    expect(v2).toMatchObject({ partId: draft.id, id: `${icpBySlug.id}:2:${draft.id}` });
  });
});

describe('a field a role may not read is refused alone, with the rest of the answer', () => {
  const DRAFTS = `{ icpVersion(icp: "driftsentry") { version personas { name draft { id name } } } }`;

  it.each(['ADMIN', 'STRATEGY_OWNER', 'AUDITOR'])('%s (reads drafts): the draft records resolve', async (who) => {
    const res = await t.gql(DRAFTS, {}, as[who]);
    expect(res.errors).toBeUndefined();
    const personas = res.data.icpVersion.personas as { name: string; draft: { name: string } | null }[];
    expect(personas.length).toBeGreaterThan(1);
    for (const p of personas) expect(p.draft?.name).toBe(p.name);
  });

  it('CLIENT (published data only): each draft is null with a FORBIDDEN error on its path, the rest answered', async () => {
    const res = await t.gql(DRAFTS, {}, as.CLIENT);
    expect(res.data.icpVersion.version).toBe(1);
    const personas = res.data.icpVersion.personas as { name: string; draft: unknown }[];
    expect(personas.every((p) => p.name && p.draft === null)).toBe(true);
    expect(res.errors).toEqual(
      personas.map((_, i) => ({
        message: 'Your role CLIENT may not read "PublishedPersona.draft": it needs ADMIN, STRATEGY_OWNER or AUDITOR',
        path: ['icpVersion', 'personas', i, 'draft'],
        locations: expect.any(Array),
        extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
      })),
    );
  });

  it('anonymous: the root field is refused before anything runs (UNAUTHENTICATED)', async () => {
    const res = await t.gql(DRAFTS, {}, as.anonymous);
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('icpDiff: a JSON Patch that applies to the published snapshot, and a change list', () => {
  const SNAPSHOT = `query($v: Int) { icpVersion(icp: "make-enterprise", version: $v) { snapshot } }`;
  const DIFF = `query($from: Int!, $to: Int) { icpDiff(icp: "make-enterprise", from: $from, to: $to) {
    from to patch { op path from value } changes { entityType recordId name action fields { field before after } } } }`;
  const snapshotOf = async (v: number) => (await t.ok(SNAPSHOT, { v })).icpVersion.snapshot;
  const publish = (changelog: string) =>
    t.ok(`mutation($c: String!) { publishIcp(icp: "make-enterprise", changelog: $c) { version } }`, { c: changelog });
  const personas = async () =>
    (await t.ok(`{ icpBySlug(idOrSlug: "make-enterprise") { personas { id revision name position } } }`)).icpBySlug
      .personas as { id: string; revision: number; name: string; position: number }[];
  const ops = (patch: Record<string, unknown>[]): Operation[] =>
    patch.map(({ from, value, ...op }) => ({ ...op, ...(from === null ? {} : { from }), value }) as Operation);

  beforeAll(async () => {
    // Version 2: one persona removed (not the last), another changed.
    const [first, second] = await personas();
    await t.ok(entityOps('Persona').remove, { id: first.id, rev: first.revision });
    await t.ok(entityOps('Persona').update, { id: second.id, rev: second.revision, input: { quote: 'Changed' } });
    await publish('Removed a persona, changed another');
    // Version 3: the personas in the reverse order, and one added.
    const now = await personas();
    for (const [i, p] of now.entries())
      await t.ok(entityOps('Persona').update, { id: p.id, rev: p.revision, input: { position: 100 - i } });
    await t.ok(entityOps('Persona').create, { input: { icpId: await icpId(), name: 'Added persona', position: 0 } });
    await publish('Reordered the personas, added one');
  });
  const icpId = async () => (await t.ok(`{ icpBySlug(idOrSlug: "make-enterprise") { id } }`)).icpBySlug.id;

  it.each([
    [1, 2],
    [2, 3],
    [1, 3],
    [3, 1],
  ])('applied to the snapshot of version %i, the patch gives the snapshot of version %i', async (from, to) => {
    const { icpDiff } = await t.ok(DIFF, { from, to });
    expect(icpDiff).toMatchObject({ from, to });
    expect(icpDiff.patch.length).toBeGreaterThan(0);
    for (const op of icpDiff.patch) expect(op.path).toMatch(/^\/(icp|attributes|[a-zA-Z]+\/\d+)(\/|$)/);
    const before = await snapshotOf(from);
    const applied = applyPatch(deepClone(before), ops(icpDiff.patch), true, false).newDocument;
    expect(applied).toEqual(await snapshotOf(to));
    expect(icpDiff.changes.length).toBeGreaterThan(0);
    expect(icpDiff.changes.every((c: { entityType: string }) => c.entityType === 'Persona')).toBe(true);
  });

  it('to the draft: the patch gives what publishing it makes, and the changes list what differs', async () => {
    const [p] = await personas();
    await t.ok(entityOps('Persona').update, { id: p.id, rev: p.revision, input: { name: 'Renamed in the draft' } });
    const { icpDiff } = await t.ok(DIFF, { from: 3 });
    expect(icpDiff.to).toBeNull();
    expect(icpDiff.changes).toEqual([
      {
        entityType: 'Persona',
        recordId: p.id,
        name: 'Renamed in the draft',
        action: 'CHANGED',
        fields: [{ field: 'name', before: p.name, after: 'Renamed in the draft' }],
      },
    ]);
    const { publishIcp } = await publish('Renamed a persona');
    const applied = applyPatch(deepClone(await snapshotOf(3)), ops(icpDiff.patch), true, false).newDocument;
    expect(applied).toEqual(await snapshotOf(publishIcp.version));
  });
});
