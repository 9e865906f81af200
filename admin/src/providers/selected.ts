/**
 * The fields of a generated schema type (admin/src/generated/graphql.ts, from schema.graphql) that a query
 * selects: a field the API renames or retypes is a type error in the console, not an undefined at run time.
 * Nullable fields stay `| null`; nested selections are written as their own `Selected<…>`.
 */
export type Selected<T, K extends keyof T> = { [P in K]-?: Exclude<T[P], undefined> };
