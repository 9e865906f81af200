import { QueryFailedError, type EntityMetadata } from 'typeorm';
import { ValidationError } from './errors';

/**
 * What a constraint PostgreSQL enforced means for the client: an error that
 * names the field, for a row of `meta`'s table (a `label`, as "ICP"). One
 * translation for every write: a single row's INSERT or UPDATE
 * (crud.service.ts) and the rows an import sends in bulk (held-inserts.ts).
 * `values`: the row written, when the statement wrote one row (its value is
 * then named). Undefined for any other error.
 */
export function constraintError(
  meta: EntityMetadata,
  label: string,
  error: unknown,
  values?: Record<string, unknown>,
): ValidationError | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const err = error.driverError as { code?: string; constraint?: string };
  if (err.code === '23505') {
    // Row-level security keeps the values out of PostgreSQL's message: the constraint names the columns.
    // Every unique constraint is declared scope first (workspace, ICP, dimension), the unique field last.
    const constraint = [...meta.indices, ...meta.uniques].find((c) => c.name === err.constraint);
    const field = constraint?.columns.at(-1)?.propertyName ?? 'input';
    const value = values?.[field];
    return ValidationError.one(
      `input.${field}`,
      `${value === undefined ? 'the value' : `"${String(value)}"`} is already used by another ${label}`,
    );
  }
  if (err.code === '23503')
    return ValidationError.one('input', `refers to a record that does not exist (${err.constraint})`);
  if (err.code === '23514') return ValidationError.one('input', `breaks the rule ${err.constraint}`);
  return undefined;
}
