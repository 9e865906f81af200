import { db, type RequestContext } from '../core/context';
import { type FieldProblem, ValidationError } from '../core/errors';
import { AttributeDefinition } from '../modules/attribute/attribute.entity';
import { type AttributeSpec, checkerFor, type Expect, type ExpressionChecker } from '../scoring-engine/cel';

/** The workspace's attribute catalogue, as the expression checker takes it. */
export async function catalogueOf(ctx: RequestContext): Promise<AttributeSpec[]> {
  const read = async () => {
    const rows = await db(ctx).find(AttributeDefinition, {
      where: { workspaceId: ctx.workspaceId },
      order: { name: 'ASC' },
    });
    return rows.map((a) => ({ name: a.name, type: a.type, allowedValues: a.allowedValues }));
  };
  // Once per import (its every expression is checked against it); a write of an attribute forgets it.
  return ctx.session ? ctx.session.remember(`${AttributeDefinition.name}:catalogue:${ctx.workspaceId}`, read) : read();
}

export async function workspaceChecker(ctx: RequestContext): Promise<ExpressionChecker> {
  const make = async () => checkerFor(await catalogueOf(ctx));
  // Once per import too: finding the checker of a catalogue keys it by the whole catalogue.
  return ctx.session ? ctx.session.remember(`${AttributeDefinition.name}:checker:${ctx.workspaceId}`, make) : make();
}

export interface ExpressionField {
  path: string;
  expression: string | null | undefined;
  expect: Expect;
}

/** Problems of expressions against a checker, each with its path, message and character range. */
export function expressionProblems(checker: ExpressionChecker, fields: ExpressionField[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const f of fields) {
    if (f.expression === null || f.expression === undefined) continue;
    const { problem } = checker.compile(f.expression, f.expect);
    if (problem) {
      problems.push({
        path: f.path,
        message: `${problem.message} (characters ${problem.start}-${problem.end} of \`${f.expression}\`)`,
        expression: problem.expression,
        start: problem.start,
        end: problem.end,
      });
    }
  }
  return problems;
}

/**
 * Checks expressions against the workspace's attribute catalogue when they
 * are saved: a syntax error, an unknown attribute or a type error is refused
 * with the message, the expression and the character range.
 */
export async function assertExpressions(ctx: RequestContext, fields: ExpressionField[]): Promise<void> {
  if (!fields.some((f) => f.expression != null)) return;
  const problems = expressionProblems(await workspaceChecker(ctx), fields);
  if (problems.length) throw new ValidationError(problems);
}
