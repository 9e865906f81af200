import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { startTestServer, type TestServer } from '../helpers/server';
import { DEMO_DIR, DEMO_ICP_FILES } from '../../api/src/demo/load-demo';
import { TEST_ADMIN } from '../helpers/db';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const EXPORT = `query($icp: String!, $version: Int) { exportIcp(icp: $icp, version: $version) }`;
const IMPORT = `mutation($yaml: String!, $reason: String, $dryRun: Boolean) {
  importIcp(yaml: $yaml, reason: $reason, dryRun: $dryRun) {
    slug dryRun created icp { id slug name revision }
    changes { entity name parent path action fields { field before after } }
  }
}`;
const exportIcp = async (icp: string, version?: number) => (await t.ok(EXPORT, { icp, version })).exportIcp as string;
const importIcp = async (yaml: string, opts: { reason?: string; dryRun?: boolean } = {}) =>
  (await t.ok(IMPORT, { yaml, ...opts })).importIcp;
const revisions = async () => (await t.sql('SELECT count(*)::int AS n FROM revision'))[0].n as number;
const SLUGS = DEMO_ICP_FILES.map((f) => f.replace('.icp.yaml', ''));

describe('ICP files: export and import', () => {
  it.each(SLUGS)(
    '%s: export → import → export gives the same file, byte for byte, and the import changes nothing',
    async (slug) => {
      const first = await exportIcp(slug);
      expect(first).toMatch(new RegExp(`^slug: ${slug}\n`));
      const before = await revisions();
      const result = await importIcp(first, { reason: 'round trip' });
      expect(result.changes).toEqual([]);
      expect(await revisions()).toBe(before);
      expect(await exportIcp(slug)).toBe(first);
    },
  );

  it.each(DEMO_ICP_FILES)(
    'the demo file %s is in the format: importing it into its own draft changes nothing',
    async (file) => {
      const result = await importIcp(fs.readFileSync(path.join(DEMO_DIR, file), 'utf8'), { dryRun: true });
      expect(result.changes).toEqual([]);
    },
  );

  it('exports a published version, which equals the draft it was published from', async () => {
    expect(await exportIcp('ml-inference', 1)).toBe(await exportIcp('ml-inference'));
  });

  it('imports an edited file into the draft as revisions with the importer and the reason, then round-trips', async () => {
    const doc = YAML.parse(await exportIcp('ml-inference'));
    doc.name = 'ML inference platform: ICP (edited)';
    doc.tiers[2].name = 'Tier 3: Growth accounts'; // a rename: delete + create, personas follow by name
    doc.tiers[0].criteria = 'account.annualRevenueUsd >= 2000000000.0';
    doc.personas.reverse(); // positions change
    doc.disqualifiers.pop();
    doc.exampleAccounts = doc.exampleAccounts.map((e: { expectedTier?: string }) =>
      e.expectedTier === 'Tier 3: Growth' ? { ...e, expectedTier: 'Tier 3: Growth accounts' } : e,
    );
    doc.scoring.dimensions[0].rules.push({
      name: 'Big budget',
      condition: 'account.annualBudgetUsd > 1000000.0',
      points: '1',
    });
    const yaml = YAML.stringify(doc);

    const before = await revisions();
    const dry = await importIcp(yaml, { dryRun: true });
    expect(await revisions()).toBe(before);
    expect(dry.dryRun).toBe(true);
    const summary = (r: typeof dry) =>
      r.changes.map((c: any) => `${c.action} ${c.entity} ${c.parent ? `${c.parent}/` : ''}${c.name}`);
    expect(summary(dry)).toEqual(
      expect.arrayContaining([
        'UPDATE Icp ml-inference',
        'UPDATE Tier Tier 1: Strategic',
        'CREATE Tier Tier 3: Growth accounts',
        'DELETE Tier Tier 3: Growth',
        'UPDATE Persona CFO',
        'CREATE ScoringRule Use Case Fit/Big budget',
        'DELETE Disqualifier Real-time training requirements',
      ]),
    );
    const tier1 = dry.changes.find((c: any) => c.name === 'Tier 1: Strategic');
    expect(tier1.path).toBe('tiers[0]');
    expect(tier1.fields).toEqual([
      {
        field: 'criteria',
        before: expect.stringContaining('1000000000.0'),
        after: 'account.annualRevenueUsd >= 2000000000.0',
      },
    ]);
    expect(dry.icp.name).toBe('ML inference platform: ICP');

    const done = await importIcp(yaml, { reason: 'tighter tier 1' });
    expect(summary(done)).toEqual(summary(dry));
    expect(done.icp.name).toBe('ML inference platform: ICP (edited)');
    const written = await t.sql(
      `SELECT action, reason, actor_label AS actor FROM revision ORDER BY chain_index DESC LIMIT $1`,
      [done.changes.length],
    );
    expect(written).toHaveLength(done.changes.length);
    expect(written.every((r) => r.reason === 'tighter tier 1' && r.actor === TEST_ADMIN.email)).toBe(true);

    const again = await exportIcp('ml-inference');
    expect((await importIcp(again)).changes).toEqual([]);
    expect(await exportIcp('ml-inference')).toBe(again);
    expect(YAML.parse(again).tiers.map((x: { name: string }) => x.name)).toEqual([
      'Tier 1: Strategic',
      'Tier 2: Enterprise',
      'Tier 3: Growth accounts',
    ]);
    // History is appended to, never rewritten: version 1 still exports as it was published.
    expect(YAML.parse(await exportIcp('ml-inference', 1)).tiers[2].name).toBe('Tier 3: Growth');
    expect((await t.ok(`{ verifyHistory { valid } }`)).verifyHistory.valid).toBe(true);
  });

  it('swaps ranks, follows a renamed segment by name, and clears a field the file no longer states', async () => {
    const doc = YAML.parse(await exportIcp('make-enterprise'));
    const [first, second] = doc.tiers;
    const renamed = 'Front offices of large companies';
    const oldName = second.name;
    second.name = renamed;
    [first.rank, second.rank] = [2, 1];
    doc.tiers = [second, first];
    for (const p of doc.personas) if (p.tier === oldName) p.tier = renamed;
    for (const e of doc.exampleAccounts ?? []) if (e.expectedTier === oldName) e.expectedTier = renamed;
    delete first.description;
    const done = await importIcp(YAML.stringify(doc), { reason: 'front offices first' });
    expect(done.changes.filter((c: any) => c.entity === 'Persona').map((c: any) => c.fields)).toEqual(
      Array(3).fill([{ field: 'tier', before: oldName, after: renamed }]),
    );
    const { icpBySlug } = await t.ok(
      `{ icpBySlug(idOrSlug: "make-enterprise") { tiers { name rank description personas { name } } } }`,
    );
    expect(icpBySlug.tiers.map((x: any) => [x.rank, x.name, x.personas.length])).toEqual([
      [1, renamed, 3],
      [2, first.name, 2],
    ]);
    expect(icpBySlug.tiers[1].description).toBeNull();
    const again = await exportIcp('make-enterprise');
    expect(again).toBe(await exportIcp('make-enterprise'));
    expect((await importIcp(again)).changes).toEqual([]);
  });

  it('creates the ICP when the slug is new', async () => {
    const doc = YAML.parse(await exportIcp('itsm'));
    doc.slug = 'itsm-copy';
    const result = await importIcp(YAML.stringify(doc), { reason: 'copy of itsm' });
    expect(result.created).toBe(true);
    expect(result.icp.slug).toBe('itsm-copy');
    const copy = await exportIcp('itsm-copy');
    expect(copy.replace('slug: itsm-copy', 'slug: itsm')).toBe(await exportIcp('itsm'));
  });

  it('reports every problem of a file with five errors, with its path and line, and changes nothing', async () => {
    const yaml = fs.readFileSync(path.join(__dirname, '../fixtures/five-errors.icp.yaml'), 'utf8');
    const before = await revisions();
    const draft = await exportIcp('itsm');
    const res = await t.gql(IMPORT, { yaml });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const problems = res.errors![0].extensions!.problems as {
      path: string;
      message: string;
      line: number;
      column: number;
    }[];
    expect(problems.map((p) => [p.path, p.line])).toEqual(
      expect.arrayContaining([
        ['tiers[1].name', 9], // a tier without a name: reported where the tier starts
        ['personas[0].favouriteColour', 14], // unknown field
        ['tiers[0].criteria', 8], // unknown attribute
        ['disqualifiers[0].expression', 17], // syntax error
        ['scoring.dimensions[0].rules[0].points', 24], // type error
      ]),
    );
    expect(problems).toHaveLength(5);
    expect(problems.find((p) => p.path === 'tiers[0].criteria')!.message).toMatch(/unknown attribute "headcount"/);
    // The column of the unknown attribute itself, inside the expression.
    expect(problems.find((p) => p.path === 'tiers[0].criteria')!.column).toBe(
      yaml.split('\n')[7].indexOf('headcount') + 1,
    );
    expect(await revisions()).toBe(before);
    expect(await exportIcp('itsm')).toBe(draft);
  });

  it('reports YAML syntax errors with their line', async () => {
    const res = await t.gql(IMPORT, { yaml: 'slug: x\nname: [unclosed\n' });
    const [problem] = res.errors![0].extensions!.problems;
    expect(problem).toMatchObject({ path: '(document)', line: expect.any(Number) });
  });

  it("refuses an example account's value outside the attribute's allowed values, as scoring would", async () => {
    const yaml = (await exportIcp('ml-inference')).replace(/^(\s+mlMaturity: )\S+$/m, '$1legendary');
    expect(yaml).toContain('mlMaturity: legendary');
    const before = await revisions();
    const res = await t.gql(IMPORT, { yaml });
    const problems = res.errors![0].extensions!.problems;
    expect(problems).toEqual([
      expect.objectContaining({
        path: expect.stringMatching(/^exampleAccounts\[\d+\]\.attributes\.mlMaturity$/),
        line: expect.any(Number),
      }),
    ]);
    expect(problems[0].message).toContain('legendary');
    expect(await revisions()).toBe(before);
  });

  it('lets auditors export but not import', async () => {
    const { createApiKey } = await t.ok(`mutation { createApiKey(input: { name: "audit", role: AUDITOR }) { key } }`);
    const headers = { authorization: `Bearer ${createApiKey.key}` };
    expect((await t.gql(EXPORT, { icp: 'itsm' }, headers)).data?.exportIcp).toMatch(/^slug: itsm/);
    const res = await t.gql(IMPORT, { yaml: 'slug: itsm\nname: x\n' }, headers);
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
