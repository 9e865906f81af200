import { type AttributeKind, type ExpressionChecker } from '../scoring-engine/cel';
import { conjuncts } from '../scoring-engine/compile';
import { type ModelSource } from '../scoring-engine/engine';
import { type Dialect, dialectOf } from './dialects';
import { doubleLiteral, type Scope, type Sql, SqlRefusal, translate } from './expression';

/**
 * A published version's scoring model as one SQL view over a user-named
 * accounts table (one column per catalogue attribute, plus a key column):
 * per account the tier and nearest tier, whether it is disqualified and by
 * which disqualifier first, the score and each dimension's score, the band
 * and the action, whether it is undetermined and the attributes that decide.
 * The semantics are the engine's (scoring-engine/engine.ts, "The fit-score
 * contract"), computed in the same order so that doubles round alike;
 * expressions are translated by expression.ts, which refuses what SQL cannot
 * compute faithfully. The view is built in stages (CTEs), each adding
 * columns to the previous one.
 */
type Row = Record<string, any>;

export interface SqlExportOptions {
  dialect: string;
  /** The accounts table (or a view), as written in SQL: `schema.table` is kept as given. */
  table?: string;
  /** The view to create. */
  view?: string;
  /** The accounts table's key column, carried into the view's rows. */
  key?: string;
  /** The snapshot's SHA-256 (the version's `snapshotHash`). */
  snapshotHash?: string;
  /** When the text was made (default now): fixed in golden tests. */
  generatedAt?: Date;
}

export interface SqlExportProblem {
  /** What holds the expression, e.g. `tier "Tier 1" criteria`. */
  part: string;
  expression: string;
  message: string;
  /** Character range of the refused part, 0-based, end exclusive. */
  start: number;
  end: number;
}

export class SqlExportError extends Error {
  constructor(readonly problems: SqlExportProblem[]) {
    super(
      `cannot export to SQL: ${problems
        .map((p) => `${p.part}: ${p.message} (at ${p.start}-${p.end}: "${p.expression.slice(p.start, p.end)}")`)
        .join('; ')}`,
    );
  }
}

/** A bad option (table, view or key name), named. */
export class SqlOptionError extends Error {
  constructor(
    readonly option: 'table' | 'view' | 'key',
    message: string,
  ) {
    super(`${option}: ${message}`);
  }
}

/** Names written into the SQL as they are: letters, digits and _, optionally qualified (`schema.table`). */
const QUALIFIED = /^[A-Za-z_][A-Za-z0-9_]{0,127}(\.[A-Za-z_][A-Za-z0-9_]{0,127}){0,2}$/;
const PLAIN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

function checkOptions(o: SqlExportOptions): void {
  for (const option of ['table', 'view'] as const) {
    const v = o[option];
    if (v !== undefined && !QUALIFIED.test(v))
      throw new SqlOptionError(option, `"${v}" is not a name of letters, digits and _ (schema.name allowed)`);
  }
  if (o.key !== undefined && !PLAIN.test(o.key))
    throw new SqlOptionError('key', `"${o.key}" is not a column name of letters, digits and _`);
}

const SQL_TYPES: Record<string, Record<AttributeKind, string>> = {
  postgres: { INT: 'BIGINT', NUMBER: 'DOUBLE PRECISION', STRING: 'TEXT', BOOL: 'BOOLEAN', STRING_LIST: 'TEXT[]' },
  duckdb: { INT: 'BIGINT', NUMBER: 'DOUBLE', STRING: 'VARCHAR', BOOL: 'BOOLEAN', STRING_LIST: 'VARCHAR[]' },
  bigquery: { INT: 'INT64', NUMBER: 'FLOAT64', STRING: 'STRING', BOOL: 'BOOL', STRING_LIST: 'ARRAY<STRING>' },
  snowflake: { INT: 'NUMBER(19,0)', NUMBER: 'DOUBLE', STRING: 'VARCHAR', BOOL: 'BOOLEAN', STRING_LIST: 'ARRAY' },
  spark: { INT: 'BIGINT', NUMBER: 'DOUBLE', STRING: 'STRING', BOOL: 'BOOLEAN', STRING_LIST: 'ARRAY<STRING>' },
};

/** The column type each attribute kind is read as, per dialect (for the header and for tests creating tables). */
export const sqlType = (dialect: string, kind: AttributeKind): string => SQL_TYPES[dialectOf(dialect).name][kind];

interface Stage {
  name: string;
  columns: [string, string][];
}

/** The tier criterion's conditions, a disqualifier, a rule: each translated or a problem recorded. */
interface Translated {
  sql: Sql;
  attributes: string[];
}

const byRank = (a: Row, b: Row) => a.rank - b.rank;

/** Column names for the dimensions' scores: `score_<name in snake case>`, unique. */
function dimensionColumns(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((n, i) => {
    let c = `score_${
      n
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_|_$/g, '') || String(i + 1)
    }`;
    while (used.has(c)) c = `${c}_${i + 1}`;
    used.add(c);
    return c;
  });
}

export function exportSql(source: ModelSource, checker: ExpressionChecker, options: SqlExportOptions): string {
  const d = dialectOf(options.dialect);
  checkOptions(options);
  const s = source.snapshot;
  const catalogue = (s.attributes as Row[]) ?? [];
  const attrNames = new Set(catalogue.map((a) => a.name as string));
  const problems: SqlExportProblem[] = [];
  let fresh = 0;
  const scope: Scope = {
    dialect: d,
    column: (name) => `a.${d.ident(name)}`,
    attributes: attrNames,
    vars: new Map(),
    accountAllowed: true,
    fresh: () => `icp_x${fresh++}`,
  };
  const used = new Set<string>();
  /** Translates one expression; on a refusal records the problem (with its location) and gives undefined. */
  const tr = (part: string, expression: string, expect: 'bool' | 'number', node?: Row): Translated | undefined => {
    let ast = node;
    if (!ast) {
      const checked = checker.check(expression, expect);
      if (!checked.ast) {
        const p = checked.problem!;
        problems.push({ part, expression, message: p.message, start: p.start, end: p.end });
        return undefined;
      }
      ast = checked.ast;
    }
    try {
      const attributes = new Set<string>();
      const sql = translate(ast as never, {
        ...scope,
        column: (name) => {
          attributes.add(name);
          used.add(name);
          return scope.column(name);
        },
      });
      return { sql, attributes: [...attributes] };
    } catch (e) {
      if (!(e instanceof SqlRefusal)) throw e;
      const start = e.start ?? 0;
      problems.push({
        part,
        expression,
        message: e.message,
        start,
        end: Math.max(e.end ?? expression.length, start + 1),
      });
      return undefined;
    }
  };

  // Tiers with criteria, in rank order, each as its conditions (the top-level && operands).
  const tiers = [...(s.tiers as Row[])].sort(byRank).filter((t) => t.criteria);
  const tierConds = tiers.map((t) => {
    const part = `tier "${t.name}" criteria`;
    const checked = checker.check(t.criteria, 'bool');
    if (!checked.ast) return [tr(part, t.criteria, 'bool')];
    return conjuncts(checked.ast, t.criteria).map((c) => tr(part, t.criteria, 'bool', c.node as Row));
  });
  const disqualifiers = (s.disqualifiers as Row[]).filter((x) => x.expression);
  const dqs = disqualifiers.map((x) => tr(`disqualifier "${x.name}" expression`, x.expression, 'bool'));
  const dimensions = [...(s.scoringDimensions as Row[])].sort((a, b) => a.position - b.position);
  const dimIndex = new Map(dimensions.map((x, i) => [x.id, i]));
  const ruleRows = [...(s.scoringRules as Row[])].sort(
    (a, b) => (dimIndex.get(a.dimensionId) ?? 0) - (dimIndex.get(b.dimensionId) ?? 0) || a.position - b.position,
  );
  const rules = ruleRows.map((r) => ({
    row: r,
    dimension: dimIndex.get(r.dimensionId) ?? 0,
    points: tr(`rule "${r.name}" points`, String(r.points), 'number'),
    condition: tr(`rule "${r.name}" condition`, r.condition || 'true', 'bool'),
  }));
  for (const t of tiers.filter((_, i) => tierConds[i].length > 999))
    problems.push({
      part: `tier "${t.name}" criteria`,
      expression: t.criteria,
      message: 'has more than 999 conditions',
      start: 0,
      end: t.criteria.length,
    });
  if (problems.length) throw new SqlExportError(problems);

  const ok = <T>(x: T | undefined): T => x!;
  const bands = [...(s.actionBands as Row[])].sort((a, b) => b.minScore - a.minScore);
  const num = (v: number) => doubleLiteral(v, d);
  // As the engine's Math.round(x * 1e9) / 1e9 (x >= 0 here: the scores are clamped).
  const ROUND = (x: string) => `(FLOOR(${x} * 1000000000 + ${num(0.5)}) / 1000000000)`;
  const str = (v: string) => d.string(v);
  const dimCols = dimensionColumns(dimensions.map((x) => String(x.name)));
  const bandIndex = (x: string) =>
    bands.length
      ? `(CASE ${bands.map((b, i) => `WHEN ${x} >= ${num(b.minScore)} THEN ${i + 1}`).join(' ')} ELSE 0 END)`
      : '0';
  const clamp = (x: string, max: number) => `LEAST(GREATEST(${x}, ${num(0)}), ${num(max)})`;
  const sum = (terms: string[]) => terms.reduce((acc, t) => `(${acc} + ${t})`, num(0));
  const caseOf = (whens: [string, string][], otherwise = 'NULL') =>
    whens.length ? `(CASE ${whens.map(([w, t]) => `WHEN ${w} THEN ${t}`).join(' ')} ELSE ${otherwise} END)` : otherwise;

  // Stage 1: every condition, disqualifier, rule condition and points, and which attributes are missing.
  const c1: [string, string][] = [[`icp_key`, `a.${d.ident(options.key ?? 'id')}`]];
  tierConds.forEach((conds, i) => conds.forEach((c, j) => c1.push([`icp_t${i}_${j}`, ok(c).sql.sql])));
  dqs.forEach((x, i) => c1.push([`icp_d${i}`, ok(x).sql.sql]));
  rules.forEach((r, i) => {
    c1.push([`icp_r${i}`, ok(r.condition).sql.sql]);
    const points = ok(r.points).sql;
    c1.push([`icp_p${i}`, points.type === 'double' ? points.sql : `CAST(${points.sql} AS ${d.double})`]);
  });
  const attrs = [...used].sort();
  const missingCol = new Map(attrs.map((a, i) => [a, `icp_m${i}`]));
  attrs.forEach((a) => c1.push([missingCol.get(a)!, `(${scope.column(a)} IS NULL)`]));

  // Stage 2: tier outcomes, the matched tier, the first disqualifier, each rule's points when held.
  const tierOutcome = (i: number) => `(${tierConds[i].map((_, j) => `icp_t${i}_${j}`).join(' AND ')})`;
  const c2: [string, string][] = [];
  tiers.forEach((_, i) => c2.push([`icp_t${i}`, tierOutcome(i)]));
  c2.push([
    'icp_tier',
    caseOf(
      tiers.map((_, i) => [tierOutcome(i), String(i + 1)]),
      '0',
    ),
  ]);
  c2.push([
    'icp_dq',
    caseOf(
      dqs.map((_, i) => [`icp_d${i}`, String(i + 1)]),
      '0',
    ),
  ]);
  // Nearest tier: fewest failed conditions, then most held; as one key per tier, least wins, the better rank on ties.
  tierConds.forEach((conds, i) => {
    const count = (test: string) =>
      `(${conds.map((_, j) => `(CASE WHEN ${test.replace('$', `icp_t${i}_${j}`)} THEN 1 ELSE 0 END)`).join(' + ')})`;
    c2.push([`icp_k${i}`, `(${count('NOT $')} * 1000 + 999 - ${count('$')})`]);
  });
  const heldPoints = (i: number) => `(CASE WHEN icp_r${i} AND icp_p${i} IS NOT NULL THEN icp_p${i} ELSE ${num(0)} END)`;
  dimensions.forEach((_, k) => {
    const mine = rules.map((r, i) => [r, i] as const).filter(([r]) => r.dimension === k);
    c2.push([`icp_raw${k}`, sum(mine.map(([, i]) => heldPoints(i)))]);
    // The least and the most the unknown rules could add (deciding, case c): constant points, else unbounded.
    const bound = (low: boolean) =>
      sum(
        mine.map(([r, i]) => {
          const c = r.points!.sql.constant;
          const unknown = typeof c === 'number' ? num(low ? Math.min(0, c) : Math.max(0, c)) : num(0);
          return `(CASE WHEN icp_r${i} AND icp_p${i} IS NOT NULL THEN icp_p${i} WHEN icp_r${i} IS NULL THEN ${unknown} ELSE ${num(0)} END)`;
        }),
      );
    const unbounded = mine
      .filter(([r]) => typeof r.points!.sql.constant !== 'number')
      .map(([, i]) => `icp_r${i} IS NULL OR (icp_r${i} AND icp_p${i} IS NULL)`);
    const pointsMissing = mine.map(([, i]) => `(icp_r${i} AND icp_p${i} IS NULL)`);
    const anyUnbounded = [...unbounded, ...pointsMissing].join(' OR ') || 'FALSE';
    const max = Number(dimensions[k].max);
    c2.push([`icp_lo${k}`, `(CASE WHEN ${anyUnbounded} THEN ${num(0)} ELSE ${clamp(bound(true), max)} END)`]);
    c2.push([`icp_hi${k}`, `(CASE WHEN ${anyUnbounded} THEN ${num(max)} ELSE ${clamp(bound(false), max)} END)`]);
  });
  // A rule counts as unknown (deciding) when its condition is unknown with non-zero or unknown points, or its points are missing.
  const unknownRule = (i: number) => {
    const c = rules[i].points!.sql.constant;
    const zero = typeof c === 'number' && c === 0;
    return zero ? `(icp_r${i} AND icp_p${i} IS NULL)` : `(icp_r${i} IS NULL OR (icp_r${i} AND icp_p${i} IS NULL))`;
  };
  c2.push(['icp_unknown_rules', rules.length ? `(${rules.map((_, i) => unknownRule(i)).join(' OR ')})` : 'FALSE']);

  // Stage 3: dimension scores (clamped, rounded), the band range of the unknown rules.
  const c3: [string, string][] = [];
  dimensions.forEach((x, k) => c3.push([dimCols[k], ROUND(clamp(`icp_raw${k}`, Number(x.max)))]));
  const total = (prefix: string) => ROUND(sum(dimensions.map((_, k) => `${prefix}${k}`)));
  c3.push([
    'icp_band_differs',
    `(icp_unknown_rules AND ${bandIndex(total('icp_lo'))} <> ${bandIndex(total('icp_hi'))})`,
  ]);
  // Stage 4: the score; stage 5: its band, the deciding attributes.
  const c4: [string, string][] = [['score', ROUND(sum(dimCols))]];
  const c5: [string, string][] = [['icp_band', `(CASE WHEN icp_dq > 0 THEN 0 ELSE ${bandIndex('score')} END)`]];
  attrs.forEach((a) => {
    const reads = (x: Translated | undefined) => ok(x).attributes.includes(a);
    const why: string[] = [];
    tiers.forEach((_, i) => {
      if (tierConds[i].some(reads)) why.push(`(icp_t${i} IS NULL AND (icp_tier = 0 OR icp_tier > ${i + 1}))`);
    });
    dqs.forEach((x, i) => reads(x) && why.push(`icp_d${i} IS NULL`));
    rules.forEach((r, i) => {
      const c = r.points!.sql.constant;
      const zero = typeof c === 'number' && c === 0;
      if (reads(r.condition) && !zero) why.push(`(icp_band_differs AND icp_r${i} IS NULL)`);
      if (reads(r.points)) why.push(`(icp_band_differs AND ${unknownRule(i)})`);
    });
    c5.push([
      `icp_why${missingCol.get(a)!.slice(5)}`,
      why.length ? `(icp_dq = 0 AND ${missingCol.get(a)} AND (${why.join(' OR ')}))` : 'FALSE',
    ]);
  });
  const whyCol = (a: string) => `icp_why${missingCol.get(a)!.slice(5)}`;
  const deciding = attrs.length
    ? d.joinNonNull(attrs.map((a) => `(CASE WHEN ${whyCol(a)} THEN ${str(a)} END)`))
    : str('');
  const undetermined = attrs.length ? `(${attrs.map(whyCol).join(' OR ')})` : 'FALSE';
  const c6: [string, string][] = [
    ['deciding_attributes', deciding],
    ['undetermined', undetermined],
  ];

  // The final columns.
  const scoreText = `(CASE WHEN score = FLOOR(score) THEN CAST(CAST(score AS ${d.integer}) AS ${d.text}) ELSE CAST(score AS ${d.text}) END)`;
  const noBand = bands.length
    ? `CONCAT(${str('No action band: a score of ')}, ${scoreText}, ${str(' is below every band')})`
    : str('No action band: this ICP defines none');
  const out: [string, string][] = [
    [d.ident(options.key ?? 'id'), 'icp_key'],
    ['tier', caseOf(tiers.map((t, i) => [`icp_tier = ${i + 1}`, str(t.name)]))],
    ['tier_rank', caseOf(tiers.map((t, i) => [`icp_tier = ${i + 1}`, String(t.rank)]))],
    [
      'nearest_tier',
      caseOf(
        tiers.map((t, i) => [
          `icp_tier = 0 AND ${tiers.map((_, j) => (j > i ? `icp_k${i} <= icp_k${j}` : 'TRUE')).join(' AND ')}`,
          str(t.name),
        ]),
      ),
    ],
    ['disqualified', '(icp_dq > 0)'],
    ['disqualifier', caseOf(disqualifiers.map((x, i) => [`icp_dq = ${i + 1}`, str(x.name)]))],
    [
      'disqualified_reason',
      caseOf(disqualifiers.map((x, i) => [`icp_dq = ${i + 1}`, str(x.reason ?? x.description ?? x.name)])),
    ],
    ['score', 'score'],
    ...dimCols.map((c): [string, string] => [c, c]),
    ['band', caseOf(bands.map((b, i) => [`icp_band = ${i + 1}`, str(b.name)]))],
    [
      'action',
      caseOf(
        [
          ...disqualifiers.map((x, i): [string, string] => [
            `icp_dq = ${i + 1}`,
            str(`Do not pursue: ${x.reason ?? x.description ?? x.name}`),
          ]),
          ['undetermined', `CONCAT(${str('Needs data: ')}, deciding_attributes)`],
          ...bands.map((b, i): [string, string] => [`icp_band = ${i + 1}`, str(b.action)]),
        ],
        noBand,
      ),
    ],
    ['undetermined', 'undetermined'],
    ['deciding_attributes', 'deciding_attributes'],
  ];

  const key = (options.key ?? 'id').toLowerCase();
  if (out.slice(1).some(([name]) => name === key))
    throw new SqlOptionError(
      'key',
      `"${options.key}" is also a column the view computes: name the key column another way`,
    );
  const stages: Stage[] = [
    { name: 'icp_s1', columns: c1 },
    { name: 'icp_s2', columns: c2 },
    { name: 'icp_s3', columns: c3 },
    { name: 'icp_s4', columns: c4 },
    { name: 'icp_s5', columns: c5 },
    { name: 'icp_s6', columns: c6 },
  ];
  const col = ([name, sql]: [string, string]) => `    ${sql} AS ${name}`;
  const ctes = stages.map((st, i) =>
    i === 0
      ? `${st.name} AS (\n  SELECT\n${st.columns.map(col).join(',\n')}\n  FROM ${options.table ?? 'accounts'} AS a\n)`
      : `${st.name} AS (\n  SELECT\n    ${stages[i - 1].name}.*,\n${st.columns.map(col).join(',\n')}\n  FROM ${stages[i - 1].name}\n)`,
  );
  const view = options.view ?? `${source.icpSlug.replace(/[^A-Za-z0-9_]/g, '_')}_v${source.version}_scores`;
  return [
    header(source, d, options, catalogue, used),
    `CREATE OR REPLACE VIEW ${view} AS`,
    `WITH\n${ctes.join(',\n')}`,
    `SELECT\n${out.map(([name, sql]) => `  ${sql} AS ${name}`).join(',\n')}`,
    `FROM ${stages[stages.length - 1].name};`,
    '',
  ].join('\n');
}

function header(source: ModelSource, d: Dialect, o: SqlExportOptions, catalogue: Row[], used: Set<string>): string {
  const icp = source.snapshot.icp as Row;
  const lines = [
    `ICP: ${String(icp?.name ?? source.icpSlug)} (${source.icpSlug}, id ${source.icpId})`,
    `Version: ${source.version}`,
    `Snapshot hash (SHA-256): ${o.snapshotHash ?? 'not given'}`,
    `Generated at: ${(o.generatedAt ?? new Date()).toISOString()}`,
    `Dialect: ${d.name}`,
    '',
    `Reads the table ${o.table ?? 'accounts'}: a key column ${o.key ?? 'id'} and one column per attribute (NULL: missing):`,
    ...catalogue.filter((a) => used.has(a.name)).map((a) => `  ${d.ident(a.name)} ${sqlType(d.name, a.type)}`),
    'Semantics: the engine\'s (README, "Scoring in the warehouse"); generated, do not edit.',
  ];
  // Comment text can neither end the comment ("*/") nor open a nested one ("/*": PostgreSQL and DuckDB nest
  // block comments, so the view would be swallowed): both are broken up in a name.
  const safe = (l: string) => l.replace(/\*\//g, '* /').replace(/\/\*/g, '/ *');
  return `/*\n${lines.map((l) => safe(` * ${l}`.trimEnd())).join('\n')}\n */`;
}
