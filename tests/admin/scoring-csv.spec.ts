import { accountsFromCsv, type AttributeSpec, coerce, csvField, parseCsv, toCsv } from '../../admin/src/fit-score/csv';
import { rankedCsv, rankScores, type Scored } from '../../admin/src/fit-score/rank';
import { summarise } from '../../admin/src/fit-score/movers';

// The console's CSV reader/writer and ranking (admin/src/scoring): pure functions, no browser.
const catalogue: AttributeSpec[] = [
  { name: 'employees', type: 'INT' },
  { name: 'annualRevenueUsd', type: 'NUMBER' },
  { name: 'employeeGrowthYoY', type: 'NUMBER' },
  { name: 'industry', type: 'STRING' },
  { name: 'digitalNative', type: 'BOOL' },
  { name: 'cloudProviders', type: 'STRING_LIST' },
];

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes, commas and line breaks inside quotes, CRLF and a BOM', () => {
    const { rows, problems } = parseCsv('\ufeffa,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n\r\n1,,3\n');
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['x, y', 'say "hi"', 'two\nlines'] },
      { line: 5, cells: ['1', '', '3'] },
    ]);
  });

  it('reads a last line without a line end, semicolon-separated files, and reports an unclosed quote', () => {
    expect(parseCsv('a;b\n1;2').rows.map((r) => r.cells)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsv('a,b\n"1,2\n').problems).toEqual([
      { line: 2, message: 'a quoted field is not closed (missing ")' },
    ]);
  });

  it('round-trips what toCsv writes', () => {
    const data = [
      ['key', 'name', 'list'],
      ['a"b', 'x,y', 'one\ntwo'],
      ['  padded ', '', 'plain'],
    ];
    expect(parseCsv(toCsv(data)).rows.map((r) => r.cells)).toEqual(data);
  });

  it('keeps spreadsheet formulas inert, but not negative numbers', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(-3.5)).toBe('-3.5');
    expect(csvField(['aws', 'gcp'])).toBe('aws;gcp');
    expect(csvField(null)).toBe('');
  });
});

describe('accountsFromCsv', () => {
  it('types each value by the catalogue, takes key and name columns, leaves empty cells out', () => {
    const csv =
      'id,Name,employees,annualRevenueUsd,employeeGrowthYoY,industry,digitalNative,cloudProviders\n' +
      'a1,Acme,"1,200",2.5e9,30%,SaaS,yes,aws;gcp\n' +
      'a2,Beta,,,,,,\n';
    const r = accountsFromCsv(csv, catalogue);
    expect(r.problems).toEqual([]);
    expect(r.accounts).toEqual([
      {
        key: 'a1',
        name: 'Acme',
        attributes: {
          employees: 1200,
          annualRevenueUsd: 2.5e9,
          employeeGrowthYoY: 0.3,
          industry: 'SaaS',
          digitalNative: true,
          cloudProviders: ['aws', 'gcp'],
        },
      },
      { key: 'a2', name: 'Beta', attributes: {} },
    ]);
    expect(r.lines).toEqual([2, 3]);
    expect(r.attributeColumns).toEqual([
      'employees',
      'annualRevenueUsd',
      'employeeGrowthYoY',
      'industry',
      'digitalNative',
      'cloudProviders',
    ]);
  });

  it('reads [] as an empty list (an empty cell is a missing attribute), and writes an empty list as []', () => {
    const r = accountsFromCsv('key,cloudProviders\na,[]\nb,\n', catalogue);
    expect(r.accounts.map((a) => a.attributes)).toEqual([{ cloudProviders: [] }, {}]);
    expect(csvField([])).toBe('[]');
  });

  it('names the line and column of every bad value, leaves those rows out, and lists unknown columns', () => {
    const r = accountsFromCsv(
      'name,employees,digitalNative,revenue\nA,lots,true,1\nB,10.5,maybe,2\nC,10,false,3\n',
      catalogue,
    );
    expect(r.problems).toEqual([
      { line: 2, column: 'employees', message: '"lots" is not a whole number' },
      { line: 3, column: 'employees', message: '"10.5" is not a whole number' },
      { line: 3, column: 'digitalNative', message: '"maybe" is not true or false' },
    ]);
    expect(r.accounts).toEqual([{ key: 'C', name: 'C', attributes: { employees: 10, digitalNative: false } }]);
    expect(r.ignoredColumns).toEqual(['revenue']);
  });

  it('refuses a file without attribute columns, an empty file, duplicate columns and too many values', () => {
    expect(accountsFromCsv('', catalogue).problems[0].message).toMatch(/empty/);
    expect(accountsFromCsv('foo,bar\n1,2\n', catalogue).problems[0].message).toMatch(/no column names an attribute/);
    const r = accountsFromCsv('employees,Employees\n1,2,3\n', catalogue);
    expect(r.problems).toEqual([
      { line: 1, column: 'Employees', message: 'the column "Employees" appears twice' },
      { line: 2, message: '3 values for 2 columns' },
    ]);
  });

  it('gives an account without key or name its line as key', () => {
    expect(accountsFromCsv('employees\n5\n', catalogue).accounts).toEqual([
      { key: 'line 2', attributes: { employees: 5 } },
    ]);
  });

  it('coerces numbers strictly', () => {
    expect(coerce({ name: 'n', type: 'NUMBER' }, '12abc')).toMatchObject({ ok: false });
    expect(coerce({ name: 'n', type: 'NUMBER' }, '-.5')).toEqual({ ok: true, value: -0.5 });
    expect(coerce({ name: 'n', type: 'NUMBER' }, '')).toMatchObject({ ok: false });
  });
});

describe('rankScores', () => {
  const s = (score: number, disqualified = false, rank?: number, deciding: string[] = []): Scored => ({
    score,
    maxScore: 40,
    disqualified,
    disqualifiers: disqualified ? [{ name: 'anti-ICP' }] : [],
    tier: rank ? { name: `Tier ${rank}`, rank } : null,
    band: null,
    action: disqualified
      ? 'Do not pursue: anti-ICP'
      : deciding.length
        ? `Needs data: ${deciding.join(', ')}`
        : 'Decline',
    undetermined: deciding.length > 0,
    decidingAttributes: deciding,
    triggers: [],
    missingAttributes: deciding,
    icpVersion: 1,
  });

  it('puts qualified accounts first by score, then better tier, then file order; then those that need data; disqualified ones last', () => {
    const accounts = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((key) => ({ key, attributes: {} }));
    const ranked = rankScores(
      accounts,
      [2, 3, 4, 5, 6, 7, 8],
      [
        s(10, false, 2),
        s(30, true),
        s(10, false, 1),
        s(20),
        s(10, false, 2),
        s(35, false, 1, ['budget']),
        s(0, false, undefined, ['budget', 'employees']),
      ],
    );
    expect(ranked.map((r) => [r.rank, r.account.key])).toEqual([
      [1, 'd'],
      [2, 'c'],
      [3, 'a'],
      [4, 'e'],
      [5, 'f'],
      [6, 'g'],
      [7, 'b'],
    ]);
    accounts[1].attributes = { employees: 12, cloudProviders: ['aws', 'gcp'] };
    const csv = parseCsv(rankedCsv(ranked, ['employees', 'cloudProviders'])).rows.map((r) => r.cells);
    expect(csv[0]).toEqual([
      'rank',
      'key',
      'name',
      'score',
      'maxScore',
      'tier',
      'tierRank',
      'band',
      'group',
      'action',
      'disqualified',
      'disqualifiers',
      'decidingAttributes',
      'triggers',
      'missingAttributes',
      'icpVersion',
      'line',
      'employees',
      'cloudProviders',
    ]);
    expect(csv[7]).toEqual([
      '7',
      'b',
      '',
      '30',
      '40',
      '',
      '',
      '',
      'disqualified',
      'Do not pursue: anti-ICP',
      'true',
      'anti-ICP',
      '',
      '',
      '',
      '1',
      '3',
      '12',
      'aws;gcp',
    ]);
    expect(csv[6].slice(7, 13)).toEqual([
      '',
      'needs data',
      'Needs data: budget, employees',
      'false',
      '',
      'budget; employees',
    ]);
    expect(csv[1][8]).toBe('qualified');
    // The download is itself a valid upload.
    expect(
      accountsFromCsv(rankedCsv(ranked, ['employees', 'cloudProviders']), [
        { name: 'employees', type: 'INT' },
        { name: 'cloudProviders', type: 'STRING_LIST' },
      ]).accounts[6],
    ).toEqual({
      key: 'b',
      attributes: { employees: 12, cloudProviders: ['aws', 'gcp'] },
    });
  });
});

describe('the ranked download', () => {
  it('makes every text cell that starts with = + - @ TAB or CR inert, keeping numbers as numbers', () => {
    const accounts = [
      { key: '=cmd|x', name: '-2+3', attributes: { industry: '\t=1+1', employees: -5 } },
      { key: '@SUM(A1)', name: '+1+cmd', attributes: { industry: '\r=HYPERLINK("x")', employees: 7 } },
    ];
    const score = {
      score: -1,
      maxScore: 40,
      disqualified: false,
      disqualifiers: [{ name: '=evil()' }],
      tier: null,
      band: { name: 'B', action: '-act' },
      action: '-act',
      undetermined: false,
      decidingAttributes: [],
      triggers: [],
      missingAttributes: [],
      icpVersion: 1,
    };
    const csv = rankedCsv(rankScores(accounts, [2, 3], [score, score]), ['industry', 'employees']);
    const cells = parseCsv(csv).rows.flatMap((r) => r.cells);
    for (const text of ['=cmd|x', '-2+3', '\t=1+1', '@SUM(A1)', '+1+cmd', '\r=HYPERLINK("x")', '=evil()', '-act'])
      expect(cells).toContain(`'${text}`);
    expect(cells).toContain('-5');
    expect(cells).toContain('-1');
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c) && !/^[-+]?\d+(\.\d+)?$/.test(c))).toEqual([]);
  });
});

describe('summarise', () => {
  it('counts tier, band and disqualification moves across the whole file', () => {
    // Tiers compared by their own id (partId): the id of the same tier differs between the version and the draft.
    let version = 0;
    const side = (tier: string | null, band: string | null, disqualified = false) => ({
      tier: tier ? { partId: tier, id: `icp:${version++}:${tier}` } : null,
      band: band ? { name: band } : null,
      disqualified,
    });
    const sum = summarise([
      { before: side('t1', 'A'), after: side('t2', 'A'), changed: true, movement: 'DOWN' },
      { before: side('t1', 'A'), after: side('t1', 'B'), changed: true, movement: 'DOWN' },
      { before: side('t1', 'A'), after: side('t1', 'A'), changed: false, movement: 'SAME' },
      { before: null, after: side('t1', null, true), changed: true, movement: 'SAME' },
    ]);
    expect(sum).toEqual({
      total: 4,
      changed: 3,
      tierMoves: 2,
      bandMoves: 1,
      disqualifiedMoves: 1,
      byMovement: { UP: 0, DOWN: 2, IN: 0, OUT: 0, SAME: 2 },
    });
  });
});
