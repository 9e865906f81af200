/**
 * What differs between the SQL dialects the export writes: quoting, types,
 * list functions, string joins. Everything else (CASE, AND/OR/NOT, IN,
 * comparisons, LEAST/GREATEST, FLOOR, CAST) is written once in the standard
 * form every dialect reads.
 *
 * Lists (STRING_LIST attributes) are native arrays: text[] (PostgreSQL),
 * VARCHAR[] (DuckDB), ARRAY<STRING> (BigQuery, Spark), ARRAY (Snowflake).
 */
export type DialectName = 'postgres' | 'duckdb' | 'bigquery' | 'snowflake' | 'spark';
export const DIALECTS: DialectName[] = ['postgres', 'duckdb', 'bigquery', 'snowflake', 'spark'];

export interface Dialect {
  name: DialectName;
  /** An identifier as written (attribute names are camelCase, so quoted). */
  ident(name: string): string;
  /** A string literal. */
  string(value: string): string;
  /** The double type's name, for CAST. */
  double: string;
  /** The text type's name, for CAST. */
  text: string;
  /** The 64-bit integer type's name, for CAST. */
  integer: string;
  /** `item in list` for a literal item; the list is not NULL here (the caller guards). */
  contains(list: string, item: string): string;
  /** The number of items of a list that is not NULL. */
  size(list: string): string;
  /** How many items `v` of a non-NULL list make `body` true (`body` reads the item as `v`); absent: see `sets`. */
  countWhere?(list: string, v: string, body: string): string;
  /**
   * Without countWhere (a grammar with no lambdas in our proofs): whether a non-NULL list shares an item with
   * literal strings (`overlaps`), and whether all its items are among them (`within`).
   */
  sets?: { overlaps(list: string, items: string[]): string; within(list: string, items: string[]): string };
  /** The texts joined with ", ", NULLs left out (none at all: an empty string). */
  joinNonNull(parts: string[]): string;
}

const doubled = (quote: string) => (s: string) => `${quote}${s.split(quote).join(quote + quote)}${quote}`;
/** Dialects where a backslash in a string literal is an escape (BigQuery, Snowflake, Spark). */
const backslashed = (s: string) =>
  `'${s.replace(/[\\']/g, (c) => `\\${c}`).replace(/[\n\r\t\0]/g, (c) => ({ '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' })[c]!)}'`;

const standardString = doubled("'");

export const DIALECT: Record<DialectName, Dialect> = {
  postgres: {
    name: 'postgres',
    ident: doubled('"'),
    string: standardString,
    double: 'DOUBLE PRECISION',
    text: 'TEXT',
    integer: 'BIGINT',
    contains: (list, item) => `(${item} = ANY(${list}))`,
    size: (list) => `CARDINALITY(${list})`,
    countWhere: (list, v, body) => `(SELECT COUNT(*) FROM UNNEST(${list}) AS ${v}_t(${v}) WHERE ${body})`,
    joinNonNull: (parts) => `CONCAT_WS(', ', ${parts.join(', ')})`,
  },
  duckdb: {
    name: 'duckdb',
    ident: doubled('"'),
    string: standardString,
    double: 'DOUBLE',
    text: 'VARCHAR',
    integer: 'BIGINT',
    contains: (list, item) => `LIST_CONTAINS(${list}, ${item})`,
    size: (list) => `LEN(${list})`,
    countWhere: (list, v, body) => `LEN(LIST_FILTER(${list}, ${v} -> ${body}))`,
    joinNonNull: (parts) => `CONCAT_WS(', ', ${parts.join(', ')})`,
  },
  bigquery: {
    name: 'bigquery',
    ident: (name) => `\`${name.replace(/[\\`]/g, (c) => `\\${c}`)}\``,
    string: backslashed,
    double: 'FLOAT64',
    text: 'STRING',
    integer: 'INT64',
    contains: (list, item) => `(${item} IN UNNEST(${list}))`,
    size: (list) => `ARRAY_LENGTH(${list})`,
    countWhere: (list, v, body) => `(SELECT COUNT(*) FROM UNNEST(${list}) AS ${v} WHERE ${body})`,
    joinNonNull: (parts) => `ARRAY_TO_STRING([${parts.join(', ')}], ', ')`,
  },
  snowflake: {
    name: 'snowflake',
    ident: doubled('"'),
    string: backslashed,
    double: 'DOUBLE',
    text: 'VARCHAR',
    integer: 'BIGINT',
    contains: (list, item) => `ARRAY_CONTAINS(TO_VARIANT(${item}), ${list})`,
    size: (list) => `ARRAY_SIZE(${list})`,
    countWhere: (list, v, body) => `ARRAY_SIZE(FILTER(${list}, ${v} -> ${body}))`,
    joinNonNull: (parts) => `ARRAY_TO_STRING(ARRAY_CONSTRUCT_COMPACT(${parts.join(', ')}), ', ')`,
  },
  spark: {
    name: 'spark',
    ident: (name) => `\`${name.split('`').join('``')}\``,
    string: backslashed,
    double: 'DOUBLE',
    text: 'STRING',
    integer: 'BIGINT',
    contains: (list, item) => `ARRAY_CONTAINS(${list}, ${item})`,
    size: (list) => `SIZE(${list})`,
    // Spark has FILTER with lambdas, but Hive's grammar (the proof's parser) has none: set functions instead.
    sets: {
      overlaps: (list, items) => `ARRAYS_OVERLAP(${list}, ARRAY(${items.join(', ')}))`,
      within: (list, items) => `(SIZE(ARRAY_EXCEPT(${list}, ARRAY(${items.join(', ')}))) = 0)`,
    },
    joinNonNull: (parts) => `CONCAT_WS(', ', ${parts.join(', ')})`,
  },
};

export function dialectOf(name: string): Dialect {
  const d = DIALECT[name as DialectName];
  if (!d) throw new Error(`unknown SQL dialect "${name}": one of ${DIALECTS.join(', ')}`);
  return d;
}
