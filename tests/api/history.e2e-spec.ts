import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { entityOps, newIcp, newWorkspace } from '../helpers/operations';
import { startTestServer, type TestServer } from '../helpers/server';
import { TEST_ADMIN } from '../helpers/db';
import { partTypes } from '../../api/src/modules/icp/icp-parts';

let t: TestServer;
let h: Record<string, string>;
let wsId: string;
let icpId: string;
const persona = entityOps('Persona');

const REVISIONS = `query($f: HistoryFilter, $o: Int, $l: Int) { history(filter: $f, offset: $o, limit: $l) { chainIndex entityType entityId icpId revision action actorLabel reason at before after patch } historyCount(filter: $f) }`;
const VERIFY = `{ verifyHistory { valid checked problem brokenAt { chainIndex entityId revision } } }`;

async function historyRows(): Promise<number> {
  return Number((await t.sql('SELECT count(*)::int AS n FROM revision WHERE workspace_id = $1', [wsId]))[0].n);
}

async function asOwner<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: t.ownerUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  t = await startTestServer({ demo: false, poolSize: 25 });
  ({ headers: h, id: wsId } = await newWorkspace(t, 'hist'));
  icpId = await newIcp(t, h, 'hist-icp');
});
afterAll(() => t.close());

describe('revisions', () => {
  it('records who, when, what and why for a create, an update and a delete', async () => {
    const p = (
      await t.ok(
        `mutation($i: CreatePersonaInput!) { r: createPersona(input: $i, reason: "new buyer") { id } }`,
        { i: { icpId, name: 'CIO' } },
        h,
      )
    ).r;
    await t.ok(
      `mutation($id: ID!) { updatePersona(id: $id, expectedRevision: 1, input: { quote: "ROI first" }, reason: "from the interview") { id } }`,
      { id: p.id },
      h,
    );
    await t.ok(persona.remove, { id: p.id, rev: 2 }, h);
    const { history, historyCount } = await t.ok(REVISIONS, { f: { entityId: p.id } }, h);
    expect(historyCount).toBe(3);
    const [del, upd, cre] = history;
    expect(cre).toMatchObject({
      entityType: 'Persona',
      icpId,
      revision: 1,
      action: 'CREATE',
      actorLabel: TEST_ADMIN.email,
      reason: 'new buyer',
      before: null,
    });
    expect(cre.after).toMatchObject({ id: p.id, name: 'CIO' });
    expect(upd).toMatchObject({ revision: 2, action: 'UPDATE', reason: 'from the interview' });
    expect(upd.patch).toEqual(expect.arrayContaining([{ op: 'replace', path: '/quote', value: 'ROI first' }]));
    expect(del).toMatchObject({ revision: 3, action: 'DELETE', after: null });
    expect(new Date(del.at).getTime()).toBeGreaterThanOrEqual(new Date(cre.at).getTime());
  });

  it('20 concurrent updates from one base revision, 50 times: exactly 1 commit and 19 CONFLICTs each round', async () => {
    const p = (await t.ok(persona.create, { input: { icpId, name: 'Contended' } }, h)).r;
    let base = 1;
    const before = await historyRows();
    for (let round = 0; round < 50; round++) {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          t.gql(persona.update, { id: p.id, rev: base, input: { quote: `round ${round} writer ${i}` } }, h),
        ),
      );
      const ok = results.filter((r) => !r.errors);
      const conflicts = results.filter((r) => r.errors?.[0].extensions?.code === 'CONFLICT');
      expect([ok.length, conflicts.length]).toEqual([1, 19]);
      expect(ok[0].data.r.revision).toBe(base + 1);
      base++;
      expect(await historyRows()).toBe(before + round + 1);
    }
    expect((await t.ok(persona.get('revision'), { id: p.id }, h)).r.revision).toBe(51);
    expect((await t.ok(VERIFY, {}, h)).verifyHistory.valid).toBe(true);
  }, 120_000);

  it('1,000 random mutations, some failing: one history row per committed change, exactly', async () => {
    let seed = 42;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const live: { id: string; rev: number; type: 'Persona' | 'Disqualifier' }[] = [];
    const before = await historyRows();
    let committed = 0;
    let failed = 0;
    for (let i = 0; i < 1000; i += 10) {
      // Ten at a time, so some race each other.
      const batch = Array.from({ length: 10 }, (_, j) => {
        const type = rnd(2) ? 'Persona' : 'Disqualifier';
        const ops = entityOps(type);
        const pick = live.length ? live[rnd(live.length)] : undefined;
        const kind = rnd(10);
        if (kind < 4 || !pick) {
          // Creates; one in four is invalid (empty name) or a duplicate name.
          const name = kind === 0 ? '' : kind === 1 ? 'duplicate' : `item ${i + j}`;
          return t.gql(ops.create, { input: { icpId, name } }, h).then((r) => {
            if (!r.errors) live.push({ id: r.data.r.id, rev: 1, type });
            return r;
          });
        }
        const pops = entityOps(pick.type);
        const rev = kind === 9 ? pick.rev + 5 : pick.rev; // some stale
        if (kind === 8) {
          return t.gql(pops.remove, { id: pick.id, rev }, h).then((r) => {
            if (!r.errors) live.splice(live.indexOf(pick), 1);
            return r;
          });
        }
        return t.gql(pops.update, { id: pick.id, rev, input: { name: `renamed ${i + j}` } }, h).then((r) => {
          if (!r.errors) pick.rev = r.data.r.revision;
          return r;
        });
      });
      for (const r of await Promise.all(batch)) {
        if (r.errors) failed++;
        else committed++;
      }
    }
    expect(failed).toBeGreaterThan(50);
    expect(committed).toBeGreaterThan(500);
    expect(await historyRows()).toBe(before + committed);
    expect((await t.ok(VERIFY, {}, h)).verifyHistory.valid).toBe(true);
  }, 120_000);
});

describe('append-only, tamper-evident', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of the history to the application role', async () => {
    await expect(t.ds.query(`UPDATE revision SET reason = 'x'`)).rejects.toThrow(/permission denied/);
    await expect(t.ds.query(`DELETE FROM revision`)).rejects.toThrow(/permission denied/);
    await expect(t.ds.query(`TRUNCATE revision`)).rejects.toThrow(/permission denied/);
    await expect(t.ds.query(`UPDATE icp_version SET changelog = 'x'`)).rejects.toThrow(/permission denied/);
    const [{ current_user: user }] = await t.ds.query('SELECT current_user');
    expect(user).toBe('icp_app');
  });

  it('refuses them to the owner too, through the trigger', async () => {
    await asOwner(async (c) => {
      await expect(c.query(`UPDATE revision SET reason = 'x'`)).rejects.toThrow(
        /revision is append-only: UPDATE refused/,
      );
      await expect(c.query(`DELETE FROM revision`)).rejects.toThrow(/revision is append-only: DELETE refused/);
      await expect(c.query(`TRUNCATE revision`)).rejects.toThrow(/revision is append-only: TRUNCATE refused/);
    });
  });

  it('verifyHistory finds a revision changed behind its back, at exactly that revision', async () => {
    // A workspace of its own: each workspace has its own chain.
    const { headers, id } = await newWorkspace(t, 'tamper');
    const icp = await newIcp(t, headers, 'tamper-icp');
    for (let i = 0; i < 10; i++) await t.ok(persona.create, { input: { icpId: icp, name: `P${i}` } }, headers);
    const V = (hd: Record<string, string>) => t.ok(VERIFY, {}, hd).then((d) => d.verifyHistory);
    expect(await V(headers)).toMatchObject({ valid: true, checked: 17 });
    const [victim] = await t.sql(
      'SELECT chain_index, entity_id, revision FROM revision WHERE workspace_id = $1 AND chain_index = 8',
      [id],
    );
    await asOwner(async (c) => {
      await c.query('ALTER TABLE revision DISABLE TRIGGER revision_no_update_delete');
      await c.query(`UPDATE revision SET actor_label = 'someone else' WHERE workspace_id = $1 AND chain_index = 8`, [
        id,
      ]);
      await c.query('ALTER TABLE revision ENABLE TRIGGER revision_no_update_delete');
    });
    expect(await V(headers)).toMatchObject({
      valid: false,
      checked: 7,
      problem: 'its content does not match its hash',
      brokenAt: { chainIndex: 8, entityId: victim.entity_id, revision: victim.revision },
    });
    // Other workspaces' chains are untouched.
    expect(await V(h)).toMatchObject({ valid: true });
  });
});

describe('published versions', () => {
  let pub: string;
  let tierA: string;
  beforeAll(async () => {
    pub = await newIcp(t, h, 'pub');
    tierA = (await t.ok(entityOps('Tier').create, { input: { icpId: pub, rank: 1, name: 'A' } }, h)).r.id;
    await t.ok(entityOps('Tier').create, { input: { icpId: pub, rank: 2, name: 'B' } }, h);
    await t.ok(persona.create, { input: { icpId: pub, tierId: tierA, name: 'Buyer' } }, h);
    await t.ok(
      entityOps('UseCasePattern').create,
      { input: { icpId: pub, name: 'Retail', industries: ['Retail'] } },
      h,
    );
  });

  const V = `query($icp: String!, $v: Int) { icpVersion(icp: $icp, version: $v) { version changelog publishedBy snapshotText snapshotHash snapshot } }`;

  it('publishes numbered versions; editing the draft leaves a published version byte for byte unchanged', async () => {
    const v1 = (await t.ok(`mutation { publishIcp(icp: "pub", changelog: "First cut") { version } }`, {}, h))
      .publishIcp;
    expect(v1.version).toBe(1);
    const before = (await t.ok(V, { icp: 'pub', v: 1 }, h)).icpVersion;
    expect(createHash('sha256').update(before.snapshotText).digest('hex')).toBe(before.snapshotHash);
    expect(before.snapshot.tiers.map((x: { name: string }) => x.name)).toEqual(['A', 'B']);

    await t.ok(
      entityOps('Tier').update,
      { id: tierA, rev: 1, input: { name: 'A renamed', criteria: 'account.employees > 5' } },
      h,
    );
    const after = (await t.ok(V, { icp: 'pub', v: 1 }, h)).icpVersion;
    expect(after.snapshotText).toBe(before.snapshotText);
    expect(after.snapshotHash).toBe(before.snapshotHash);
    const [{ snapshot }] = await t.sql(`SELECT snapshot FROM icp_version WHERE icp_id = $1 AND version = 1`, [pub]);
    expect(snapshot).toBe(before.snapshotText);

    const DIFF = `query($to: Int) { icpDiff(icp: "pub", from: 1, to: $to) { patch { op path value } changes { recordId action fields { field before after } } } }`;
    const diff = (await t.ok(DIFF, {}, h)).icpDiff;
    expect(diff.changes).toEqual([
      {
        recordId: tierA,
        action: 'CHANGED',
        fields: expect.arrayContaining([
          { field: 'name', before: 'A', after: 'A renamed' },
          { field: 'criteria', before: null, after: 'account.employees > 5' },
        ]),
      },
    ]);
    expect(diff.patch).toEqual(
      expect.arrayContaining([
        { op: 'replace', path: expect.stringMatching(/^\/tiers\/\d+\/name$/), value: 'A renamed' },
      ]),
    );
    const v2 = (await t.ok(`mutation { publishIcp(icp: "pub", changelog: "Renamed A") { version } }`, {}, h))
      .publishIcp;
    expect(v2.version).toBe(2);
    expect((await t.ok(DIFF, { to: 2 }, h)).icpDiff).toEqual(diff);
    expect((await t.ok(`{ icpDiff(icp: "pub", from: 2) { patch { op } changes { name } } }`, {}, h)).icpDiff).toEqual({
      patch: [],
      changes: [],
    });
    const list = await t.ok(
      `{ icpVersions(icp: "pub") { version changelog } icpBySlug(idOrSlug: "pub") { latestVersion } }`,
      {},
      h,
    );
    expect(list.icpVersions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(list.icpBySlug.latestVersion).toBe(2);
    const published = await t.ok(REVISIONS, { f: { icpId: pub, actions: ['PUBLISH'] } }, h);
    expect(published.historyCount).toBe(2);
    expect(published.history[0].after).toMatchObject({
      version: 2,
      changelog: 'Renamed A',
      snapshotHash: expect.any(String),
    });
  });

  it('says what publishing would change, record by record, and refuses a publish that changes nothing', async () => {
    const CHANGES = `query($from: Int, $to: Int) {
      icpChanges(icp: "pub", from: $from, to: $to) { entityType recordId name action fields { field before after } }
      icpBySlug(idOrSlug: "pub") { unpublishedChanges latestVersion }
    }`;
    // Right after version 2: nothing to publish, and publishing again is refused, naming why.
    const now = await t.ok(CHANGES, {}, h);
    expect(now.icpChanges).toEqual([]);
    expect(now.icpBySlug.unpublishedChanges).toBe(0);
    const same = await t.gql(`mutation { publishIcp(icp: "pub", changelog: "Again") { version } }`, {}, h);
    expect(same.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(same.errors?.[0].message).toBe(
      'icp: nothing changed since version 2 of "pub": change the draft before publishing',
    );
    expect((await t.ok(`{ icpVersions(icp: "pub") { version } }`, {}, h)).icpVersions).toHaveLength(2);

    // Version 1 to 2, by name, with the old value beside the new.
    const { icpChanges } = await t.ok(CHANGES, { from: 1, to: 2 }, h);
    expect(icpChanges).toEqual([
      {
        entityType: 'Tier',
        recordId: tierA,
        name: 'A renamed',
        action: 'CHANGED',
        fields: expect.arrayContaining([
          { field: 'name', before: 'A', after: 'A renamed' },
          { field: 'criteria', before: null, after: 'account.employees > 5' },
        ]),
      },
    ]);

    // A draft edit is one unpublished change until it is published.
    const { tier } = await t.ok(`query($id: ID!) { tier(id: $id) { revision } }`, { id: tierA }, h);
    await t.ok(entityOps('Tier').update, { id: tierA, rev: tier.revision, input: { name: 'A again' } }, h);
    const draft = await t.ok(CHANGES, {}, h);
    expect(draft.icpBySlug.unpublishedChanges).toBe(1);
    expect(draft.icpChanges).toEqual([
      {
        entityType: 'Tier',
        recordId: tierA,
        name: 'A again',
        action: 'CHANGED',
        fields: [{ field: 'name', before: 'A renamed', after: 'A again' }],
      },
    ]);
    // Editing it back leaves nothing to publish.
    await t.ok(entityOps('Tier').update, { id: tierA, rev: tier.revision + 1, input: { name: 'A renamed' } }, h);
    expect((await t.ok(CHANGES, {}, h)).icpBySlug.unpublishedChanges).toBe(0);
  });

  it('refuses a publish without a changelog, and deleting a published ICP', async () => {
    const res = await t.gql(`mutation { publishIcp(icp: "pub", changelog: "  ") { version } }`, {}, h);
    expect(res.errors?.[0].message).toBe('changelog: is required: say what changed in this version');
    const rev = (await t.ok(`{ icpBySlug(idOrSlug: "pub") { revision } }`, {}, h)).icpBySlug.revision;
    const del = await t.gql(entityOps('Icp').remove, { id: pub, rev }, h);
    expect(del.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(del.errors?.[0].message).toContain('cannot be deleted; set its status to ARCHIVED instead');
  });

  it('reverts the draft to a published version: renamed, swapped, added and deleted parts, all as new revisions', async () => {
    const draft = (
      await t.ok(
        `{ icpBySlug(idOrSlug: "pub") { tiers { id name rank revision } useCasePatterns { id revision } } }`,
        {},
        h,
      )
    ).icpBySlug;
    const [a, b] = draft.tiers;
    // Swap the ranks (through a free rank), add a persona, delete the pattern.
    await t.ok(entityOps('Tier').update, { id: a.id, rev: a.revision, input: { rank: 9 } }, h);
    await t.ok(entityOps('Tier').update, { id: b.id, rev: b.revision, input: { rank: 1 } }, h);
    await t.ok(entityOps('Tier').update, { id: a.id, rev: a.revision + 1, input: { rank: 2 } }, h);
    await t.ok(persona.create, { input: { icpId: pub, name: 'Newcomer' } }, h);
    await t.ok(
      entityOps('UseCasePattern').remove,
      { id: draft.useCasePatterns[0].id, rev: draft.useCasePatterns[0].revision },
      h,
    );
    const CHANGES = `{ icpDiff(icp: "pub", from: 1) { changes { recordId action } } }`;
    expect((await t.ok(CHANGES, {}, h)).icpDiff.changes.length).toBeGreaterThan(2);

    const before = await historyRows();
    await t.ok(
      `mutation { revertIcpToVersion(icp: "pub", version: 1, reason: "back to the first cut") { id } }`,
      {},
      h,
    );
    expect((await t.ok(CHANGES, {}, h)).icpDiff.changes).toEqual([]);
    // Tier A (name and rank), tier B (rank), the pattern re-created, the newcomer deleted.
    expect(await historyRows()).toBe(before + 4);
    const restored = await t.ok(REVISIONS, { f: { entityId: draft.useCasePatterns[0].id } }, h);
    expect(restored.history[0]).toMatchObject({ action: 'REVERT', reason: 'back to the first cut' });
    expect((await t.ok(VERIFY, {}, h)).verifyHistory).toMatchObject({ valid: true });
  });
});

describe('time travel and revert of one record', () => {
  it('reads a record as of a revision or a time, and reverts it, also after deletion', async () => {
    const p = (await t.ok(persona.create, { input: { icpId, name: 'Traveller', quote: 'one' } }, h)).r;
    const [{ now: between }] = await t.ds.query('SELECT now()');
    await new Promise((r) => setTimeout(r, 20));
    await t.ok(persona.update, { id: p.id, rev: 1, input: { quote: 'two' } }, h);
    await t.ok(persona.update, { id: p.id, rev: 2, input: { quote: 'three' } }, h);

    const AS_OF = `query($id: ID!, $r: Int, $at: DateTimeISO) { recordAsOf(id: $id, revision: $r, at: $at) { revision after } }`;
    expect((await t.ok(AS_OF, { id: p.id, r: 2 }, h)).recordAsOf.after.quote).toBe('two');
    expect((await t.ok(AS_OF, { id: p.id, at: new Date(between).toISOString() }, h)).recordAsOf).toMatchObject({
      revision: 1,
      after: { quote: 'one' },
    });

    const REVERT = `mutation($id: ID!, $to: Int!, $exp: Int!) { revertRecord(id: $id, toRevision: $to, expectedRevision: $exp) { revision record { ... on Persona { id quote revision } } } }`;
    const stale = await t.gql(REVERT, { id: p.id, to: 1, exp: 2 }, h);
    expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
    const reverted = (await t.ok(REVERT, { id: p.id, to: 1, exp: 3 }, h)).revertRecord.record;
    expect(reverted).toMatchObject({ quote: 'one', revision: 4 });

    await t.ok(persona.remove, { id: p.id, rev: 4 }, h);
    const back = (await t.ok(REVERT, { id: p.id, to: 2, exp: 5 }, h)).revertRecord.record;
    expect(back).toMatchObject({ id: p.id, quote: 'two', revision: 6 });
    expect((await t.ok(persona.get('quote'), { id: p.id }, h)).r).toMatchObject({ quote: 'two', revision: 6 });
    const actions = (await t.ok(REVISIONS, { f: { entityId: p.id } }, h)).history.map(
      (r: { action: string }) => r.action,
    );
    expect(actions).toEqual(['REVERT', 'DELETE', 'REVERT', 'UPDATE', 'UPDATE', 'CREATE']);
  });
});

describe('auditor queries', () => {
  it('filters by entity type, actor, action and time, pages, and exports CSV and JSON', async () => {
    const all = await t.ok(
      REVISIONS,
      { f: { entityType: 'Persona', actions: ['CREATE'], actor: 'ADMIN@EXAMPLE' }, o: 0, l: 5 },
      h,
    );
    expect(all.history).toHaveLength(5);
    expect(all.historyCount).toBeGreaterThan(5);
    expect(
      all.history.every(
        (r: { entityType: string; action: string }) => r.entityType === 'Persona' && r.action === 'CREATE',
      ),
    ).toBe(true);
    const future = await t.ok(REVISIONS, { f: { from: new Date(Date.now() + 60_000).toISOString() } }, h);
    expect(future.historyCount).toBe(0);

    const csv = (
      await t.ok(
        `query($f: HistoryFilter) { exportHistory(format: CSV, filter: $f) }`,
        { f: { icpId: icpId, actions: ['DELETE'] } },
        h,
      )
    ).exportHistory;
    const lines = csv.trim().split('\r\n');
    // One number per entry, the one the console shows (#) and verifyHistory names: its place in the chain.
    expect(lines[0]).toBe(
      'chainIndex,workspaceId,at,actorLabel,actorId,action,entityType,entityId,icpId,revision,reason,patch,before,after,prevHash,hash,keyId,signature',
    );
    const deletes = (await t.ok(REVISIONS, { f: { icpId, actions: ['DELETE'] } }, h)).historyCount;
    expect(lines).toHaveLength(deletes + 1);
    expect(lines.slice(1).every((l: string) => l.includes('"DELETE"'))).toBe(true);

    const json = JSON.parse(
      (await t.ok(`{ exportHistory(format: JSON, filter: { entityType: IcpVersion }) }`, {}, h)).exportHistory,
    );
    expect(json.length).toBeGreaterThan(0);
    expect(json[0]).toMatchObject({ action: 'PUBLISH', entityType: 'IcpVersion' });
    expect(Object.keys(json[0])[0]).toBe('chainIndex');
    expect(json[0]).not.toHaveProperty('seq');
    // What an auditor needs to check each signature with the public key alone.
    expect(json[0]).toMatchObject({ keyId: expect.stringMatching(/^ed25519:/), signature: expect.any(String) });
  });

  it('lists the entity types a filter may name: the ICP, its versions, its parts in registry order, the rest', async () => {
    const { historyEntityTypes } = await t.ok(`{ historyEntityTypes }`, {}, h);
    expect(historyEntityTypes.slice(0, 2 + partTypes().length)).toEqual(['Icp', 'IcpVersion', ...partTypes()]);
    expect(historyEntityTypes).toEqual(expect.arrayContaining(['AttributeDefinition', 'Membership', 'Workspace']));
    expect(new Set(historyEntityTypes).size).toBe(historyEntityTypes.length);
  });

  it('refuses a filter by an entity type the history does not hold, naming it', async () => {
    const res = await t.gql(REVISIONS, { f: { entityType: 'Persone' } }, h);
    expect(res.errors?.[0]).toMatchObject({
      message: expect.stringContaining('got invalid value "Persone" at "f.entityType"'),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(res.errors?.[0].message).toContain('Did you mean the enum value "Persona"?');
  });

  it('filters by an enum of exactly the entity types the history lists', async () => {
    const { historyEntityTypes, __type } = await t.ok(
      `{ historyEntityTypes __type(name: "HistoryEntityType") { enumValues { name description } } }`,
      {},
      h,
    );
    expect(__type.enumValues.map((v: { name: string }) => v.name)).toEqual(historyEntityTypes);
    expect(__type.enumValues.every((v: { description: string }) => v.description.length > 10)).toBe(true);
  });
});

describe('paging', () => {
  const problemOf = async (query: string) => {
    const res = await t.gql(query, {}, h);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    return res.errors![0].extensions!.problems;
  };
  const limitArg = (schema: any, field: string) =>
    schema.queryType.fields.find((f: any) => f.name === field).args.find((a: any) => a.name === 'limit').description;

  it('checks the history page as every list checks its own, against its own maximum, which the schema states', async () => {
    // The same checks and messages as any other list (icps: at most 500), with the history's maximum (1000).
    expect(await problemOf('{ icps(offset: -1) { id } }')).toEqual([
      { path: 'offset', message: 'must be 0 or more (got -1)' },
    ]);
    expect(await problemOf('{ history(offset: -1) { seq } }')).toEqual([
      { path: 'offset', message: 'must be 0 or more (got -1)' },
    ]);
    expect(await problemOf('{ icps(limit: 501) { id } }')).toEqual([
      { path: 'limit', message: 'must be between 1 and 500 (got 501)' },
    ]);
    expect(await problemOf('{ history(limit: 1001) { seq } }')).toEqual([
      { path: 'limit', message: 'must be between 1 and 1000 (got 1001)' },
    ]);
    expect(await problemOf('{ history(limit: 0) { seq } }')).toEqual([
      { path: 'limit', message: 'must be between 1 and 1000 (got 0)' },
    ]);
    expect((await t.gql('{ history(limit: 1000) { seq } }', {}, h)).errors).toBeUndefined();
    const { __schema } = await t.ok('{ __schema { queryType { fields { name args { name description } } } } }');
    expect(limitArg(__schema, 'icps')).toBe('How many records to return at most: 1 to 500.');
    expect(limitArg(__schema, 'history')).toBe('How many records to return at most: 1 to 1000.');
  });
});
