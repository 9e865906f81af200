import YAML from 'yaml';
import type { FieldProblem } from '../../core/errors';
import type { AttributeSpec, ExpressionChecker } from '../../scoring-engine/cel';
import { type ExpressionField, expressionProblems } from '../../fit-score/expressions';
import { checkIcpFile, type IcpFile } from './icp-file';
import { AccountError, accountValidator, type AccountInput } from '../../scoring-engine/engine';

/**
 * The checks of an ICP file's text, all of them before anything is written:
 * YAML syntax, the shape of every record (icp-file.ts), and what needs the
 * workspace's attribute catalogue: expressions and example accounts'
 * attributes. Every problem carries its path in the file and its line and
 * column.
 */
type Row = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : null);
const rows = (v: unknown): Row[] => (Array.isArray(v) ? v.filter((r) => r && typeof r === 'object') : []);

/** The expressions of a file, each with its path and the type it must give. */
export function fileExpressions(doc: IcpFile): ExpressionField[] {
  const out: ExpressionField[] = [];
  const add = (path: string, expression: unknown, expect: 'bool' | 'number' = 'bool') => {
    const e = str(expression);
    if (e !== null) out.push({ path, expression: e, expect });
  };
  for (const key of ['mustHave', 'niceToHave'])
    rows(doc[key]).forEach((c, i) => add(`${key}[${i}].expression`, c.expression));
  rows(doc.tiers).forEach((t, i) => add(`tiers[${i}].criteria`, t.criteria));
  rows(doc.personas).forEach((p, i) => add(`personas[${i}].appliesWhen`, p.appliesWhen));
  rows(doc.disqualifiers).forEach((d, i) => add(`disqualifiers[${i}].expression`, d.expression));
  rows(doc.triggerEvents).forEach((t, i) => add(`triggerEvents[${i}].expression`, t.expression));
  rows(doc.scoring?.dimensions).forEach((d, i) =>
    rows(d.rules).forEach((r, j) => {
      // A rule without a condition always holds (the service stores "true").
      if (str(r.condition)?.trim()) add(`scoring.dimensions[${i}].rules[${j}].condition`, r.condition);
      add(`scoring.dimensions[${i}].rules[${j}].points`, r.points, 'number');
    }),
  );
  return out;
}

/** Problems only the workspace's catalogue can show: expressions, and example accounts' attribute names and values. */
export function catalogueProblems(
  doc: IcpFile,
  checker: ExpressionChecker,
  catalogue: AttributeSpec[],
): FieldProblem[] {
  const problems = expressionProblems(checker, fileExpressions(doc));
  const known = new Set(catalogue.map((a) => a.name));
  // The values are checked as scoring checks them (types and allowed values): one validator for both.
  const validate = accountValidator(catalogue);
  rows(doc.exampleAccounts).forEach((e, i) => {
    const attributes = e.attributes;
    if (!attributes || typeof attributes !== 'object' || Array.isArray(attributes)) return;
    for (const name of Object.keys(attributes)) {
      if (!known.has(name))
        problems.push({
          path: `exampleAccounts[${i}].attributes.${name}`,
          message: `unknown attribute "${name}": the workspace's attribute catalogue has no such attribute`,
        });
    }
    try {
      validate({ attributes } as AccountInput, `exampleAccounts[${i}]`);
    } catch (err) {
      if (!(err instanceof AccountError)) throw err;
      problems.push(...err.problems);
    }
  });
  return problems;
}

export interface ParsedFile {
  doc: unknown;
  /** Syntax problems; when there are any, `doc` is not to be used. */
  problems: FieldProblem[];
  locate: (problems: FieldProblem[]) => FieldProblem[];
}

/** Parses the text, keeping where each node is, so problems can name their line and column. */
export function parseIcpFile(text: string): ParsedFile {
  const lineCounter = new YAML.LineCounter();
  const yamlDoc = YAML.parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems: FieldProblem[] = yamlDoc.errors.map((e) => ({
    path: '(document)',
    message: `YAML: ${e.message.split('\n')[0]}`,
    ...at(e.pos[0]),
  }));
  const locate = (list: FieldProblem[]) =>
    list.map((p) => {
      if (p.line) return p;
      const segments = (p.path.match(/[^.[\]]+|\[\d+\]/g) ?? []).map((s) =>
        s.startsWith('[') ? Number(s.slice(1, -1)) : s,
      );
      // The node itself, else its nearest ancestor (a missing field is reported where its record starts).
      for (let n = segments.length; n >= 0; n--) {
        let node = n ? yamlDoc.getIn(segments.slice(0, n), true) : yamlDoc.contents;
        // An unknown field is pointed at by its key.
        if (n && n === segments.length && p.message.startsWith('unknown field')) {
          const parent = yamlDoc.getIn(segments.slice(0, n - 1), true);
          if (YAML.isMap(parent))
            node =
              parent.items.find((pair) => YAML.isScalar(pair.key) && pair.key.value === segments[n - 1])?.key ?? node;
        }
        const range = (node as { range?: [number, number, number] } | null)?.range;
        if (range) {
          // A problem inside an expression points at its character when the expression is written on one line.
          const scalar = node as YAML.Scalar;
          const inline =
            p.start !== undefined &&
            n === segments.length &&
            (scalar.type === 'PLAIN' || scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE');
          const offset =
            range[0] +
            (inline && !String(scalar.value).includes('\n') ? p.start! + (scalar.type === 'PLAIN' ? 0 : 1) : 0);
          return { ...p, ...at(offset) };
        }
      }
      return { ...p, line: 1, column: 1 };
    });
  return {
    doc: problems.length ? undefined : yamlDoc.toJS({ maxAliasCount: 100 }),
    problems: locate(problems),
    locate,
  };
}

/** Every problem of a file's text: syntax, shape, references, and (given the catalogue) expressions and attributes. */
export function checkIcpFileText(
  text: string,
  catalogue?: { checker: ExpressionChecker; attributes: AttributeSpec[] },
): { doc?: IcpFile; problems: FieldProblem[]; locate: ParsedFile['locate'] } {
  const parsed = parseIcpFile(text);
  const { locate } = parsed;
  if (parsed.problems.length) return { problems: parsed.problems, locate };
  const problems = checkIcpFile(parsed.doc);
  if (problems.some((p) => p.path === '(document)')) return { problems: locate(problems), locate };
  const doc = parsed.doc as IcpFile;
  if (catalogue) problems.push(...catalogueProblems(doc, catalogue.checker, catalogue.attributes));
  return { doc, problems: locate(problems), locate };
}
