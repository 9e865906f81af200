import { spawn } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import YAML from 'yaml';
import { Client } from 'pg';
import { startTestServer, type TestServer } from '../helpers/server';
import { freePort, ROOT } from '../helpers/process';
import { SYSTEM_WORKSPACE } from '../../api/src/auth/auth.service';
import { historyKeyring, publicKeyText } from '../../api/src/core/history-keys';
import { checkpointJson } from '../../api/src/core/history-checkpoint';
import { headCheckpoint } from '../../api/src/core/history-rows';
import { TEST_HISTORY_KEYS } from '../helpers/db';
import { rewriteFrom } from '../helpers/history';
import { entityOps, newIcp, newWorkspace } from '../helpers/operations';

/** The `icp` command line, run as a user runs it (bin/icp.js over the compiled dist/) against a real server. */
let t: TestServer;
let dir: string;
const keys: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icp-cli-'));
  for (const role of ['STRATEGY_OWNER', 'CLIENT', 'AUDITOR']) {
    const { createApiKey } = await t.ok(
      `mutation($r: Role!) { createApiKey(input: { name: "cli", role: $r }) { key } }`,
      { r: role },
    );
    keys[role] = createApiKey.key;
  }
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function icp(args: string[], opts: { key?: string | null; url?: string; input?: string } = {}): Promise<Run> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    ICP_URL: opts.url ?? t.baseUrl,
    ICP_API_KEY: opts.key === null ? undefined : (opts.key ?? keys.STRATEGY_OWNER),
  };
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/icp.js'), ...args], {
    cwd: dir,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(opts.input ?? '');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const file = (name: string) => path.join(dir, name);
const revisions = async () => (await t.sql('SELECT count(*)::int AS n FROM revision'))[0].n as number;

describe('icp --help and usage errors', () => {
  it.each(['export', 'export-sql', 'import', 'diff', 'publish', 'score', 'verify-history'])(
    'icp %s --help: usage, options and exit codes, exit 0, no key needed',
    async (cmd) => {
      const r = await icp([cmd, '--help'], { key: null });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: icp ${cmd}`);
      expect(r.stdout).toContain('Exit codes: 0 done; 1 the operation failed');
      expect(r.stdout).toContain('ICP_API_KEY');
    },
  );

  it('icp --help lists every command', async () => {
    const r = await icp(['--help'], { key: null });
    expect(r.code).toBe(0);
    for (const cmd of ['export', 'export-sql', 'import', 'diff', 'publish', 'score', 'verify-history'])
      expect(r.stdout).toContain(`  ${cmd} `);
  });

  it.each([
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['publish', 'itsm'], 'needs a changelog'],
    [['export', 'itsm', '--nope'], "Unknown option '--nope'"],
    [['export', 'itsm', '--version', 'two'], '--version must be a whole number'],
    [['diff', 'itsm', '1'], 'needs a slug and two versions'],
    [['export-sql', 'itsm'], '--dialect must be one of postgres, duckdb, bigquery, snowflake, spark'],
    [['export-sql', 'itsm', '--dialect', 'oracle'], 'got "oracle"'],
  ])('icp %j is a usage error: exit 2 with a message', async (args, message) => {
    const r = await icp(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  it("without a key: exit 2, saying how to give one (after the command's own usage errors)", async () => {
    const r = await icp(['export', 'itsm'], { key: null });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ICP_API_KEY');
    expect((await icp(['export'], { key: null })).stderr).toContain('icp export needs the slug of an ICP');
  });

  it('cannot reach the server, or a bad key, or a role without the right: exit 3', async () => {
    expect((await icp(['export', 'itsm'], { url: `http://127.0.0.1:${await freePort()}` })).code).toBe(3);
    const bad = await icp(['export', 'itsm'], { key: 'icpk_not-a-key' });
    expect(bad.code).toBe(3);
    const client = await icp(['export', 'itsm'], { key: keys.CLIENT });
    expect(client.code).toBe(3);
    expect(client.stderr).toContain('not allowed');
  });

  it('an unknown ICP: exit 1', async () => {
    const r = await icp(['export', 'no-such-icp']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no-such-icp');
  });
});

describe('icp export / import / publish / diff', () => {
  it('export writes the canonical file; import of it changes nothing; export again is byte for byte the same', async () => {
    const api = (await t.ok(`{ exportIcp(icp: "itsm") }`)).exportIcp;
    const out = await icp(['export', 'itsm']);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(api);
    expect((await icp(['export', 'itsm', '-o', 'itsm.icp.yaml', '--schema', '../schema/icp.schema.json'])).code).toBe(
      0,
    );
    const text = fs.readFileSync(file('itsm.icp.yaml'), 'utf8');
    expect(text).toBe(`# yaml-language-server: $schema=../schema/icp.schema.json\n${api}`);
    const before = await revisions();
    const imp = await icp(['import', 'itsm.icp.yaml']);
    expect(imp).toMatchObject({ code: 0, stdout: expect.stringContaining('nothing to do') });
    expect(await revisions()).toBe(before);
    expect((await icp(['export', 'itsm'])).stdout).toBe(api);
  });

  it('import --dry-run shows the changes against the draft and writes nothing; import writes them with the reason', async () => {
    const doc = YAML.parse((await icp(['export', 'ml-inference'])).stdout);
    // Tier 1's budget line stays, so the example accounts still pass and the draft can be published.
    doc.tiers[0].criteria = 'account.annualRevenueUsd >= 2000000000.0 && account.annualBudgetUsd >= 500000.0';
    doc.personas.push({ name: 'Head of Platform', buyingRoles: ['CHAMPION'], tier: 'Tier 2: Enterprise' });
    doc.triggerEvents = doc.triggerEvents.slice(0, -1);
    fs.writeFileSync(file('ml.icp.yaml'), YAML.stringify(doc));
    const before = await revisions();
    const dry = await icp(['import', 'ml.icp.yaml', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run, nothing written: ml.icp.yaml 3 changes to the draft of ml-inference');
    expect(dry.stdout).toContain('~ Tier "Tier 1: Strategic" (tiers[0])');
    // A long value is shown from where the two differ.
    expect(dry.stdout).toContain(
      `criteria: …annualRevenueUsd >= 1000000000.0 && account.mlMaturity == 'dedicat… → …annualRevenueUsd >= 2000000000.0 && account.annualBudgetUsd >= 500…`,
    );
    expect(dry.stdout).toContain('+ Persona "Head of Platform" (personas[4])');
    expect(dry.stdout).toContain('- TriggerEvent "Customer expectations shift"');
    expect(await revisions()).toBe(before);
    const withDiff = await icp(['import', 'ml.icp.yaml', '--dry-run', '--diff']);
    expect(withDiff.stdout).toContain('--- ml-inference@draft\n+++ ml.icp.yaml\n@@ ');
    expect(withDiff.stdout).toContain('+  - name: Head of Platform\n');
    expect(withDiff.stdout).toContain('-  - name: Customer expectations shift\n');

    const real = await icp(['import', 'ml.icp.yaml', '-m', 'bigger strategic accounts']);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain('Imported ml.icp.yaml: 3 changes to the draft of ml-inference');
    const written = await t.sql('SELECT reason, actor_label FROM revision ORDER BY chain_index DESC LIMIT 3');
    expect(written.map((r) => r.reason)).toEqual(Array(3).fill('bigger strategic accounts'));
    expect(written[0].actor_label).toMatch(/cli/);
  });

  it('import of a file with errors: every problem as file:line:column, exit 1, nothing written', async () => {
    fs.copyFileSync(path.join(ROOT, 'tests/fixtures/five-errors.icp.yaml'), file('bad.icp.yaml'));
    const before = await revisions();
    const r = await icp(['import', 'bad.icp.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('5 problems:');
    expect(r.stderr).toContain('bad.icp.yaml:9:5: tiers[1].name: is required');
    expect(r.stderr).toMatch(/bad\.icp\.yaml:8:\d+: tiers\[0\]\.criteria: unknown attribute "headcount"/);
    expect(r.stderr.match(/bad\.icp\.yaml:\d+:\d+: /g)).toHaveLength(5);
    expect(await revisions()).toBe(before);
  });

  it('import reads standard input with -', async () => {
    const r = await icp(['import', '-', '--dry-run'], { input: (await icp(['export', 'driftsentry'])).stdout });
    expect(r).toMatchObject({ code: 0, stdout: expect.stringContaining('nothing to do') });
  });

  it('publish makes the next version; diff shows what changed between versions, and nothing between a version and its draft', async () => {
    const pub = await icp(['publish', 'ml-inference', '-m', 'Tier 1 from $2B revenue']);
    expect(pub).toMatchObject({ code: 0, stdout: 'Published ml-inference version 2: Tier 1 from $2B revenue\n' });
    const diff = await icp(['diff', 'ml-inference', '1', '2']);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('--- ml-inference@v1\n+++ ml-inference@v2\n@@ ');
    expect(diff.stdout).toContain(
      "-    criteria: account.annualRevenueUsd >= 1000000000.0 && account.mlMaturity == 'dedicated' &&\n",
    );
    expect(diff.stdout.indexOf('-    criteria:')).toBeLessThan(diff.stdout.indexOf('+    criteria:'));
    expect(diff.stdout).toContain('+    criteria: account.annualRevenueUsd >= 2000000000.0');
    expect(diff.stdout).toContain('+  - name: Head of Platform');
    const none = await icp(['diff', 'ml-inference', '2', 'draft']);
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: expect.stringContaining('No differences') });
    const json = await icp(['diff', 'ml-inference', '1', '2', '--json']);
    expect(JSON.parse(json.stdout).some((op: { path: string }) => op.path.endsWith('/criteria'))).toBe(true);
  });

  it('publish refused (an example account fails): exit 1 with the server message', async () => {
    const doc = YAML.parse((await icp(['export', 'ml-inference'])).stdout);
    doc.scoring.bands[0].minScore = 39;
    fs.writeFileSync(file('ml2.icp.yaml'), YAML.stringify(doc));
    expect((await icp(['import', 'ml2.icp.yaml'])).code).toBe(0);
    const r = await icp(['publish', 'ml-inference', '-m', 'stricter band']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Large financial institution/);
  });
});

describe('icp export-sql (issue 19)', () => {
  it('writes the published version as the SQL view exportIcpSql gives, with a client key; -o to a file', async () => {
    const { exportIcpSql } = await t.ok(
      `{ exportIcpSql(icp: "driftsentry", dialect: SNOWFLAKE, table: "crm.accounts") { sql } }`,
    );
    const out = await icp(['export-sql', 'driftsentry', '--dialect', 'snowflake', '--table', 'crm.accounts'], {
      key: keys.CLIENT,
    });
    expect(out.code).toBe(0);
    // The same text but for the time it was generated at.
    const timeless = (sql: string) => sql.replace(/Generated at: \S+/, 'Generated at: -');
    expect(timeless(out.stdout)).toBe(timeless(exportIcpSql.sql));
    expect(out.stdout).toContain('FROM crm.accounts AS a');
    const written = await icp(['export-sql', 'driftsentry', '--dialect', 'duckdb', '--version', '1', '-o', 'd.sql']);
    expect(written).toMatchObject({ code: 0, stderr: 'Wrote driftsentry version 1 as duckdb SQL to d.sql\n' });
    expect(fs.readFileSync(file('d.sql'), 'utf8')).toMatch(/^\/\*\n \* ICP: .*\n \* Version: 1\n/);
  });

  it('a bad table name: exit 1 naming it', async () => {
    const out = await icp(['export-sql', 'itsm', '--dialect', 'spark', '--table', 'a b']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('table: "a b" is not a name');
  });
});

describe('icp score', () => {
  const CSV = [
    'key,name,annualRevenueUsd,mlMaturity,inferencesPerDay,annualBudgetUsd,industry,useCaseFit,commercialFit,technicalFit,strategicValue,favouriteColour',
    'a1,Small Co,20000000,early,500,50000,SaaS,5,4,4,3,blue',
    'a2,"Big Bank, Inc.",5000000000,dedicated,5000000,1000000,Financial Services,9,9,9,10,red',
    'a3,Agency,300000,none,,,Government,9,9,9,9,',
    'a4,Health,300000000,growing,50000,250000,HealthTech,7,7,6,5,green',
  ].join('\n');

  it('writes the ranked CSV: qualified first, by score; columns typed by the catalogue; no progress bar when stderr is not a terminal', async () => {
    fs.writeFileSync(file('accounts.csv'), CSV);
    const r = await icp(
      ['score', 'ml-inference', 'accounts.csv', '-o', 'ranked.csv', '--version', '1', '--batch-size', '2'],
      { key: keys.CLIENT },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('[#');
    expect(r.stderr).toContain('Ignoring columns that are not attributes of ml-inference: favouriteColour');
    const lines = fs.readFileSync(file('ranked.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe(
      'rank,key,name,score,maxScore,tier,tierRank,band,group,action,disqualified,disqualifiers,decidingAttributes,triggers,missingAttributes,icpVersion',
    );
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['1,a2', '2,a4', '3,a1', '4,a3']);
    expect(lines[1]).toContain('"Big Bank, Inc.",37,40,Tier 1: Strategic,1,Immediate priority');
    expect(lines[4]).toContain(',true,No clear ML use case; Extremely regulated (government),');
    // The file has no deployment nor lookingForConsulting, which disqualifiers read: those accounts need data.
    expect(lines[1]).toContain('Immediate priority,needs data,"Needs data: deployment, lookingForConsulting",false');
    expect(lines[4]).toContain(',disqualified,Do not pursue: ');
  });

  it('shows a progress bar on stderr when asked (--progress), never on stdout', async () => {
    const many = [
      CSV.split('\n')[0],
      ...Array.from(
        { length: 1200 },
        (_, i) => `k${i},Co ${i},${(i + 1) * 1e6},growing,${i * 100},${i * 1000},SaaS,${i % 10},5,5,5,`,
      ),
    ].join('\n');
    const r = await icp(['score', 'ml-inference', '-', '--progress', '--batch-size', '500'], {
      key: keys.CLIENT,
      input: many,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Scoring ml-inference [');
    expect(r.stderr).toContain('1200/1200 (100%)');
    expect(r.stdout).not.toContain('[#');
    expect(r.stdout.trim().split('\n')).toHaveLength(1201);
  });

  it('scores a semicolon-separated file (a spreadsheet in a comma-decimal locale) as the comma one', async () => {
    const semi = CSV.split('\n')
      .map((l) => l.replace('"Big Bank, Inc."', 'Big Bank Inc.').replace(/,/g, ';'))
      .join('\n');
    const r = await icp(['score', 'ml-inference', '-', '--version', '1'], { key: keys.CLIENT, input: semi });
    expect(r.code).toBe(0);
    const rows = Papa.parse<string[]>(r.stdout.trim()).data;
    expect(rows.slice(1).map((row) => row.slice(0, 2).join(','))).toEqual(['1,a2', '2,a4', '3,a1', '4,a3']);
    expect(rows[1].slice(2, 6)).toEqual(['Big Bank Inc.', '37', '40', 'Tier 1: Strategic']);
  });

  it("score --json: the ranked list as an array of scores, in the CSV's order", async () => {
    fs.writeFileSync(file('accounts.csv'), CSV);
    const csv = await icp(['score', 'ml-inference', 'accounts.csv', '--version', '1'], { key: keys.CLIENT });
    const r = await icp(['score', 'ml-inference', 'accounts.csv', '--version', '1', '--json'], { key: keys.CLIENT });
    expect(r.code).toBe(0);
    const ranked = JSON.parse(r.stdout);
    const rows = Papa.parse<string[]>(csv.stdout.trim()).data.slice(1);
    expect(ranked.map((x: any) => [String(x.rank), x.key, String(x.score), x.group])).toEqual(
      rows.map((row) => [row[0], row[1], row[3], row[8]]),
    );
    expect(ranked[0]).toMatchObject({ rank: 1, key: 'a2', name: 'Big Bank, Inc.', icpVersion: 1, tier: { rank: 1 } });
  });

  it('writes every cell that starts with = + - @ TAB or CR inert (-o), and lists every bad value with its line', async () => {
    const evil = [
      'key,name,annualRevenueUsd',
      '=cmd|x,"=HYPERLINK(""http://evil"",""click"")",1',
      '@SUM(A1),"\t=1+1",2',
      '-2+3,"+1",3',
      'ok,"\r=1",4',
    ].join('\n');
    fs.writeFileSync(file('evil.csv'), evil);
    const r = await icp(['score', 'ml-inference', 'evil.csv', '-o', 'evil-ranked.csv', '--version', '1'], {
      key: keys.CLIENT,
    });
    expect(r.code).toBe(0);
    const rows = Papa.parse<string[]>(fs.readFileSync(file('evil-ranked.csv'), 'utf8').trim()).data;
    const cells = rows.flat();
    expect(cells).toContain(`'=HYPERLINK("http://evil","click")`);
    expect(cells).toContain("'=cmd|x");
    expect(cells).toContain("'@SUM(A1)");
    // Values lose their edge spaces and tabs on reading, so the TAB-led name arrives as =1+1.
    expect(cells).toContain("'=1+1");
    expect(cells).toContain("'-2+3");
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c) && !/^[-+]?\d+(\.\d+)?$/.test(c))).toEqual([]);
    const bad = await icp(['score', 'ml-inference', '-'], {
      key: keys.CLIENT,
      input: 'key,inferencesPerDay,annualRevenueUsd\nx,lots,1\ny,2,much\n',
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('-:2: inferencesPerDay: "lots" is not a number');
    expect(bad.stderr).toContain('-:3: annualRevenueUsd: "much" is not a number');
  });

  it('a value of the wrong type names the file, line and column: exit 1', async () => {
    const r = await icp(['score', 'ml-inference', '-'], { key: keys.CLIENT, input: 'key,inferencesPerDay\nx,lots\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('-:2: inferencesPerDay: "lots" is not a number');
  });
});

describe('icp score --stream', () => {
  const HEADER = 'key,name,annualRevenueUsd,mlMaturity,inferencesPerDay,annualBudgetUsd,industry,useCaseFit';
  const row = (i: number) => `k${i},Co ${i},${(i + 1) * 1e6},growing,${i * 100},${i * 1000},SaaS,${i % 10}`;

  it('streams a file through POST /v1/score in its order, a bad row inline; progress in rows/s and the summary on stderr', async () => {
    const lines = [HEADER, ...Array.from({ length: 3000 }, (_, i) => (i === 1500 ? 'bad,Bad Co,lots' : row(i)))];
    fs.writeFileSync(file('many.csv'), lines.join('\n'));
    const r = await icp(
      ['score', 'ml-inference', 'many.csv', '--stream', '--version', '1', '-o', 'streamed.csv', '--progress'],
      {
        key: keys.CLIENT,
      },
    );
    // A bad row: every other row is scored and written, and the exit code says one was not.
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Scoring ml-inference: 3,000 rows, [\d,]+ rows\/s/);
    expect(r.stderr).toContain('Scored 2999 of 3000 rows against ml-inference version 1; 1 bad rows');
    const rows = Papa.parse<string[]>(fs.readFileSync(file('streamed.csv'), 'utf8').trim()).data;
    expect(rows[0].slice(0, 4)).toEqual(['line', 'key', 'name', 'score']);
    expect(rows.slice(1, -1).map((c) => c[0])).toEqual(Array.from({ length: 3000 }, (_, i) => String(i + 2)));
    expect(rows[1501].at(-1)).toBe('line 1502, column annualRevenueUsd: "lots" is not a number');
    expect(JSON.parse(rows.at(-1)!.at(-1)!)).toMatchObject({ rows: 3000, scored: 2999, errors: 1 });
  });

  it("--json: NDJSON from stdin, exit 0 when every row scored; a refusal is the server's message", async () => {
    const r = await icp(['score', 'ml-inference', '-', '--stream', '--json'], {
      key: keys.CLIENT,
      input: [HEADER, row(1), row(2)].join('\n'),
    });
    expect(r.code).toBe(0);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((o) => o.key ?? o.summary.scored)).toEqual(['k1', 'k2', 2]);
    const missing = await icp(['score', 'nope', '-', '--stream'], { key: keys.CLIENT, input: HEADER });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('icp score: icp: no ICP with id "nope"');
  });
});

describe('icp --version and --json', () => {
  const COMMANDS = ['export', 'import', 'diff', 'publish', 'score', 'verify-history'];

  it('icp --version (or icp version) prints the version of the package, exit 0, no key needed', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    for (const args of [['--version'], ['version']])
      expect(await icp(args, { key: null })).toMatchObject({ code: 0, stdout: `icp ${version}\n`, stderr: '' });
  });

  it.each(COMMANDS)('icp %s --help offers --json', async (cmd) => {
    expect((await icp([cmd, '--help'], { key: null })).stdout).toMatch(/--json\b/);
  });

  it('export --json: the ICP file as JSON, the same document as the YAML', async () => {
    const yaml = (await icp(['export', 'driftsentry'])).stdout;
    const r = await icp(['export', 'driftsentry', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(YAML.parse(yaml));
  });

  it('import --json: what the import did, as data; publish --json: the version made', async () => {
    const doc = YAML.parse((await icp(['export', 'driftsentry'])).stdout);
    doc.slug = 'json-output';
    doc.name = 'JSON output';
    fs.writeFileSync(file('json.icp.yaml'), YAML.stringify(doc));
    const dry = await icp(['import', 'json.icp.yaml', '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      file: 'json.icp.yaml',
      slug: 'json-output',
      dryRun: true,
      created: true,
    });
    const real = JSON.parse((await icp(['import', 'json.icp.yaml', '--json'])).stdout);
    expect(real).toMatchObject({ slug: 'json-output', dryRun: false, created: true, changes: expect.any(Array) });
    const again = JSON.parse((await icp(['import', 'json.icp.yaml', '--json'])).stdout);
    expect(again).toMatchObject({ slug: 'json-output', created: false, changes: [] });
    const pub = await icp(['publish', 'json-output', '-m', 'first', '--json']);
    expect(pub.code).toBe(0);
    expect(JSON.parse(pub.stdout)).toEqual({ slug: 'json-output', version: 1, changelog: 'first' });
  });
});

describe('icp verify-history, locally, from a kept checkpoint (issue 15)', () => {
  let ws: { id: string; headers: Record<string, string> };
  let key: string;
  let publicKey: string;
  const persona = entityOps('Persona');
  const keep = async (name: string) => {
    const { historyCheckpoint } = await t.ok(
      `{ historyCheckpoint { workspace chainIndex headHash at keyId signature } }`,
      {},
      ws.headers,
    );
    fs.writeFileSync(file(name), JSON.stringify(historyCheckpoint));
    return historyCheckpoint as { chainIndex: number; at: string };
  };

  beforeAll(async () => {
    ws = await newWorkspace(t, 'cli-audit');
    const icp = await newIcp(t, ws.headers, 'cli-audit');
    for (let i = 0; i < 6; i++) await t.ok(persona.create, { input: { icpId: icp, name: `P${i}` } }, ws.headers);
    key = (await t.ok(`mutation { createApiKey(input: { name: "auditor", role: AUDITOR }) { key } }`, {}, ws.headers))
      .createApiKey.key;
    publicKey = (await t.ok(`{ historyPublicKeys { publicKey } }`, {}, ws.headers)).historyPublicKeys[0].publicKey;
  });

  it('with --checkpoint and --public-key: checks the checkpoint, then only what came after it; exit 0', async () => {
    const kept = await keep('kept.json');
    const r = await icp(['verify-history', '--checkpoint', 'kept.json', '--public-key', publicKey], { key });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      `History verified since the checkpoint of ${kept.at} (revision #${kept.chainIndex}): 1 revision; every hash holds, links to the one before and carries a valid signature.\n`,
    );
    expect(r.code).toBe(0);
    // Without --public-key it trusts the server's keys, and says so.
    const trusting = await icp(['verify-history', '--json', '--progress'], { key });
    expect(trusting.stderr).toContain("Using the server's public keys (historyPublicKeys: 1)");
    expect(trusting.stderr).toContain(
      `Verifying the history [${'#'.repeat(30)}] ${kept.chainIndex}/${kept.chainIndex} (100%)`,
    );
    expect(JSON.parse(trusting.stdout)).toMatchObject({ valid: true, fromIndex: 1, checked: kept.chainIndex });
  });

  it('a key it does not hold, a checkpoint of another chain, a bad file: said, with the exit code', async () => {
    await keep('mine.json');
    // A key the history never used: nothing verifies against it.
    const stranger = publicKeyText(createPublicKey(historyKeyring('07'.repeat(32)).signing.key));
    const r = await icp(['verify-history', '--checkpoint', 'mine.json', '--public-key', stranger], { key });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED since the checkpoint of .+ \[CHECKPOINT\]: the checkpoint's signature names key/);
    const theirs = (await t.ok(`{ historyCheckpoint { workspace chainIndex headHash at keyId signature } }`))
      .historyCheckpoint;
    fs.writeFileSync(file('theirs.json'), JSON.stringify(theirs));
    const refused = await icp(['verify-history', '--checkpoint', 'theirs.json'], { key });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('theirs.json: checkpoint.workspace is ');
    fs.writeFileSync(file('bad.json'), '{"workspace": 1}');
    const bad = await icp(['verify-history', '--checkpoint', 'bad.json'], { key });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.json.workspace must be a string');
  });

  it('the owner rewrote revision k and recomputed every hash after it: exit 1 naming k and why', async () => {
    await keep('before.json');
    await rewriteFrom(t, ws.id, 3, null);
    const r = await icp(['verify-history', '--checkpoint', 'before.json', '--public-key', publicKey, '--json'], {
      key,
    });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      valid: false,
      kind: 'SIGNATURE',
      brokenIndex: 3,
      brokenAt: { chainIndex: 3 },
      problem: expect.stringContaining('its signature does not match'),
    });
  });

  it('--system --database-url: the sign-ins, read from PostgreSQL, no API key; a rewritten one is named', async () => {
    const r = await icp(['verify-history', '--system', '--database-url', t.ownerUrl, '--public-key', publicKey], {
      key: null,
    });
    expect(r.stdout).toMatch(/^The system chain \(sign-ins\) verified: \d+ revisions?;/);
    expect(r.code).toBe(0);
    // A checkpoint of the system chain, as the server's scheduler writes them to CHECKPOINT_DIR.
    const kept = await headCheckpoint((q, p) => t.sql(q, p), TEST_HISTORY_KEYS, SYSTEM_WORKSPACE);
    fs.writeFileSync(file('system.json'), checkpointJson(kept));
    const system = ['verify-history', '--system', '--database-url', t.ownerUrl, '--checkpoint', 'system.json'];
    const fromKept = await icp([...system, '--public-key', publicKey], { key: null });
    expect(fromKept.stdout).toContain(`verified since the checkpoint of ${kept.at.toISOString()}`);
    expect(fromKept.code).toBe(0);
    const usage = await icp(['verify-history', '--system'], { key: null });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--system reads the chain from PostgreSQL: give --database-url');
    await rewriteFrom(t, SYSTEM_WORKSPACE, 1, null);
    const broken = await icp(['verify-history', '--system', '--database-url', t.ownerUrl, '--public-key', publicKey], {
      key: null,
    });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^The system chain \(sign-ins\) verification FAILED at revision #1 \(CREATE SignIn /);
    const againstKept = await icp([...system, '--public-key', publicKey], { key: null });
    expect(againstKept.code).toBe(1);
    expect(againstKept.stdout).toMatch(
      /FAILED since the checkpoint of .+ at revision #1 \(CREATE SignIn .+\) \[SIGNATURE\]/,
    );
  });
});

describe('icp verify-history', () => {
  it('exit 0 while the chain holds; exit 1 naming the revision changed behind its back', async () => {
    const ok = await icp(['verify-history'], { key: keys.AUDITOR });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^History verified: \d+ revisions?;/);
    const c = new Client({ connectionString: t.ownerUrl });
    await c.connect();
    try {
      await c.query('ALTER TABLE revision DISABLE TRIGGER revision_no_update_delete');
      await c.query(`UPDATE revision SET reason = 'rewritten' WHERE chain_index = 5`);
      await c.query('ALTER TABLE revision ENABLE TRIGGER revision_no_update_delete');
    } finally {
      await c.end();
    }
    const broken = await icp(['verify-history'], { key: keys.AUDITOR });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('History verification FAILED at revision #5');
  });
});
