import { accountsFromCsv, type AttributeSpec, coerce } from './accounts-csv';
import { csvField, parseCsv, toCsv } from './csv';

// The shared CSV module (the CLI, the console and the history export): pure, no database.
const cells = (text: string) => parseCsv(text).rows.map((r) => r.cells);

describe('parseCsv', () => {
  it('reads quoted fields with commas, quotes and line breaks, CRLF and a byte-order mark', () => {
    expect(cells('\uFEFFkey,name\r\na,"Big, ""Bank"""\r\nb,"two\nlines"\n\n')).toEqual([
      ['key', 'name'],
      ['a', 'Big, "Bank"'],
      ['b', 'two\nlines'],
    ]);
  });

  it('takes the delimiter of the header line: comma, semicolon or tab, not one inside quotes', () => {
    expect(parseCsv('a;b;c\n1;"x;y";3\n')).toMatchObject({
      delimiter: ';',
      rows: [{ cells: ['a', 'b', 'c'] }, { cells: ['1', 'x;y', '3'] }],
    });
    expect(parseCsv('a\tb\n1\t2').delimiter).toBe('\t');
    expect(parseCsv('"a;b",c\n1,2\n').delimiter).toBe(',');
    expect(parseCsv('key\nx\n')).toMatchObject({ delimiter: ',', rows: [{ cells: ['key'] }, { cells: ['x'] }] });
    // A semicolon file with a ragged last row (papaparse's own guess gives up on it).
    expect(cells('a;b\n1;2\n3')).toEqual([['a', 'b'], ['1', '2'], ['3']]);
  });

  it("keeps each row's line across quoted line breaks, blank lines and mixed line ends", () => {
    const { rows } = parseCsv('a,b\r\n"x\r\ny",1\r\n\r\n2,3\n\n4,"5\n"\r6,7');
    expect(rows.map((r) => r.line)).toEqual([1, 2, 5, 7, 9]);
    expect(rows[1].cells).toEqual(['x\r\ny', '1']);
  });

  it('lists every quoting problem with its line', () => {
    expect(parseCsv('a,b\n1,"2"x\n3,4\n').problems).toEqual([
      { line: 2, message: expect.stringMatching(/closing quote/) },
    ]);
    expect(parseCsv('a,b\n1,2\n"3,4\n').problems).toEqual([
      { line: 3, message: 'a quoted field is not closed (missing ")' },
    ]);
  });
});

describe('toCsv', () => {
  it('writes what it reads', () => {
    const rows = [
      ['rank', 'name'],
      ['1', 'Big, "Bank"'],
      ['2', ''],
      ['3', ' padded '],
      ['4', 'two\r\nlines'],
    ];
    expect(cells(toCsv(rows))).toEqual(rows);
    expect(cells(toCsv(rows, { lineEnd: '\n', quoteAll: true }))).toEqual(rows);
    expect(toCsv([['a', 1]], { quoteAll: true })).toBe('"a","1"\r\n');
  });

  it.each(['=1+1', '+1+cmd', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://x")', '-', '+'])(
    'makes the text cell %j inert',
    (text) => {
      expect(cells(toCsv([[text]]))[0][0]).toBe(`'${text}`);
    },
  );

  it('keeps numbers, booleans, plain numeric text, lists, dates and objects readable', () => {
    expect([-3.5, '-3.5', '+1', true, ['aws', 'gcp'], [], null, new Date(0), { a: '=x' }].map(csvField)).toEqual([
      '-3.5',
      '-3.5',
      '+1',
      'true',
      'aws;gcp',
      '[]',
      '',
      '1970-01-01T00:00:00.000Z',
      '"{""a"":""=x""}"',
    ]);
  });
});

describe('accountsFromCsv (shared by the console and icp score)', () => {
  const catalogue: AttributeSpec[] = [
    { name: 'employees', type: 'INT' },
    { name: 'cloudProviders', type: 'STRING_LIST' },
  ];
  it('reads a semicolon-separated file as a comma one, header names case-insensitive and trimmed, [] as an empty list', () => {
    const r = accountsFromCsv('Key; Employees ;cloudProviders\na1; 1200 ;"aws;gcp"\na2;;[]\n', catalogue);
    expect(r.problems).toEqual([]);
    expect(r.accounts).toEqual([
      { key: 'a1', attributes: { employees: 1200, cloudProviders: ['aws', 'gcp'] } },
      { key: 'a2', attributes: { cloudProviders: [] } },
    ]);
  });

  it('lists every bad value with its line and column', () => {
    expect(accountsFromCsv('key,employees\na,lots\nb,"many\nmore"\nc,"3\n', catalogue).problems).toEqual([
      { line: 5, message: 'a quoted field is not closed (missing ")' },
      { line: 2, column: 'employees', message: '"lots" is not a whole number' },
      { line: 3, column: 'employees', message: '"many\nmore" is not a whole number' },
    ]);
  });
});

describe('coerce: numbers as people write them', () => {
  const money: AttributeSpec = { name: 'annualRevenueUsd', type: 'NUMBER' };
  const people: AttributeSpec = { name: 'employees', type: 'INT' };
  it.each([
    ['$3B', 3e9],
    ['3bn', 3e9],
    ['1.1B', 1_100_000_000],
    ['2.5M', 2_500_000],
    ['2.5mm', 2_500_000],
    ['€40k', 40_000],
    ['$1,200,000', 1_200_000],
    ['-$2k', -2000],
    ['1T', 1e12],
    ['1.5e6', 1.5e6],
    ['30%', 0.3],
    [' 7 ', 7],
  ])('%s is %d', (text, value) => {
    expect(coerce(money, text)).toEqual({ ok: true, value });
  });
  it.each(['lots', '$', 'k', '3x', '1e3k', '30%k', '$$3', '3B USD', '1,20'])('"%s" is refused', (text) => {
    expect(coerce(money, text)).toEqual({ ok: false, message: `"${text.trim()}" is not a number` });
  });
  it('a whole-number attribute takes 2.5k but not 2.5', () => {
    expect(coerce(people, '2.5k')).toEqual({ ok: true, value: 2500 });
    expect(coerce(people, '2.5')).toEqual({ ok: false, message: '"2.5" is not a whole number' });
  });
});
