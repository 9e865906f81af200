import {
  type AstNode,
  type CodeUnit,
  CompileError,
  compileExpression,
  type CompileResult,
  generate,
  type Generated,
} from './compile';
import { allowedValueProblem } from './allowed-values';
import { costProblem, MAX_LIST_ITEMS, MAX_STEPS } from './cost';

/**
 * The CEL front end: @marcbachmann/cel-js parses and type-checks an
 * expression against the workspace's attribute catalogue; compile.ts turns
 * the checked tree into a closure. cel-js is ESM-only, so it is loaded once
 * with a dynamic import; everything after that is synchronous.
 */
type CelModule = typeof import('@marcbachmann/cel-js', { with: { 'resolution-mode': 'import' } });
type Environment = InstanceType<CelModule['Environment']>;

let loading: Promise<CelModule> | undefined;
let loaded: CelModule | undefined;

export async function loadCel(): Promise<CelModule> {
  loading ??= import('@marcbachmann/cel-js').then((m) => (loaded = m));
  return loading;
}

export type AttributeKind = 'INT' | 'NUMBER' | 'STRING' | 'BOOL' | 'STRING_LIST';
export interface AttributeSpec {
  name: string;
  type: AttributeKind;
  allowedValues?: string[];
}

const CEL_TYPE: Record<AttributeKind, string> = {
  INT: 'int',
  NUMBER: 'double',
  STRING: 'string',
  BOOL: 'bool',
  STRING_LIST: 'list<string>',
};

/** What an expression must give; 'any' is for tests that run CEL beyond the product's checks. */
export type Expect = 'bool' | 'number' | 'any';

export interface ExpressionProblem {
  message: string;
  expression: string;
  /** Character range of the offending part, 0-based, end exclusive. */
  start: number;
  end: number;
}

/** Deeper expressions are refused when saved: the parser and the code generator recurse, and no real rule nests this far. */
export const MAX_NESTING = 250; // as cel-js's own limit on brackets

/** Nesting depth of a parsed tree (iterative: the tree may be deeper than the stack). */
function depthOf(ast: AstNode): number {
  let max = 0;
  const stack: [unknown, number][] = [[ast, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (Array.isArray(node)) {
      for (const n of node) stack.push([n, depth]);
    } else if (node && typeof node === 'object' && 'op' in node) {
      max = Math.max(max, depth);
      stack.push([(node as AstNode).args, depth + 1]);
    }
  }
  return max;
}

/** A checker for one catalogue; cel-js environments are built once per catalogue. */
/** What `compile` gives: the compiled expression, or the problem that stops it. */
export type Compiled = Readonly<{ result?: CompileResult; problem?: ExpressionProblem }>;

/** Expressions a checker keeps compiled (by text and expected type); it forgets them all when that many are held. */
const COMPILED_PER_CHECKER = 5_000;

export class ExpressionChecker {
  private readonly env: Environment;
  /** compile()'s results by expected type and text: the checker and its catalogue never change. */
  private readonly compiled = new Map<string, Compiled>();
  private readonly names: Set<string>;
  private readonly variables: Set<string>;

  /** `variables`: further top-level names and their CEL types (the conformance tests bind them; the product reads only `account`). */
  constructor(
    readonly catalogue: AttributeSpec[],
    variables: Record<string, string> = {},
  ) {
    if (!loaded) throw new Error('loadCel() must complete before expressions are checked');
    const schema = Object.fromEntries(catalogue.map((a) => [a.name, CEL_TYPE[a.type]]));
    this.env = new loaded.Environment({ homogeneousAggregateLiterals: false }).registerVariable({
      name: 'account',
      schema,
    });
    for (const [name, type] of Object.entries(variables)) this.env.registerVariable(name, type);
    this.names = new Set(catalogue.map((a) => a.name));
    this.variables = new Set(Object.keys(variables));
  }

  /**
   * What saving accepts: parses, type-checks, checks the values compared with attributes against their allowed
   * values (allowed-values.ts) and compiles; a problem names what is wrong and where. Published models are
   * compiled through check() alone, so a catalogue narrowed later never stops a published version from scoring.
   */
  compile(expression: string, expect: Expect): Compiled {
    // An import checks each expression twice (the file, then the service that saves it): compiled once.
    const key = `${expect}\n${expression}`;
    let compiled = this.compiled.get(key);
    if (!compiled) {
      if (this.compiled.size >= COMPILED_PER_CHECKER) this.compiled.clear();
      this.compiled.set(key, (compiled = this.compileOnce(expression, expect)));
    }
    return compiled;
  }

  private compileOnce(expression: string, expect: Expect): Compiled {
    const { ast, problem } = this.check(expression, expect);
    if (!ast) return { problem };
    const value = allowedValueProblem(ast, this.catalogue);
    if (value) return { problem: this.problem(expression, value.message, value.start, value.end) };
    try {
      return { result: compileExpression(ast, this.names, this.variables) };
    } catch (e) {
      if (e instanceof CompileError) return { problem: this.problem(expression, e.message, e.start, e.end) };
      if (e instanceof RangeError) return { problem: this.problem(expression, tooDeep) };
      throw e;
    }
  }

  /** Parses and type-checks; the tree is what compile.ts generates code from. */
  check(expression: string, expect: Expect): { ast?: AstNode; problem?: ExpressionProblem } {
    if (!expression.trim()) return { problem: this.problem(expression, 'is empty') };
    try {
      // One tree, parsed and checked: the checker annotates each node with the type the generator uses.
      const parsed = this.env.parse(expression);
      const checked = parsed.check();
      if (!checked.valid) {
        return {
          problem:
            checked.error instanceof RangeError
              ? this.problem(expression, tooDeep)
              : this.problem(expression, ...describe(checked.error, expression)),
        };
      }
      const type = String(checked.type);
      const ok = expect === 'any' || (expect === 'bool' ? type === 'bool' : type === 'int' || type === 'double');
      if (!ok)
        return {
          problem: this.problem(
            expression,
            `must give ${expect === 'bool' ? 'true or false' : 'a number'}, but gives ${type}`,
          ),
        };
      const ast = parsed.ast as unknown as AstNode;
      if (depthOf(ast) > MAX_NESTING) return { problem: this.problem(expression, tooDeep) };
      const cost = costProblem(ast);
      if (cost) return { problem: this.problem(expression, tooCostly(cost.cost), cost.start, cost.end) };
      return { ast };
    } catch (e) {
      // The parser recursed past the stack: the same answer as a tree found too deep.
      if (e instanceof RangeError) return { problem: this.problem(expression, tooDeep) };
      return { problem: this.problem(expression, ...describe(e, expression)) };
    }
  }

  /** Generates an already checked expression into a shared code unit (the engine's one function per model). */
  generate(ast: AstNode, unit: CodeUnit): Generated {
    return generate(ast, this.names, unit, this.variables);
  }

  private problem(expression: string, message: string, start = 0, end = expression.length): ExpressionProblem {
    return { message, expression, start, end: Math.max(end ?? start + 1, start + 1) };
  }
}

const tooCostly = (cost: number) =>
  `may take up to ${cost.toExponential(1)} steps per account (each list attribute read as up to ${MAX_LIST_ITEMS.toLocaleString('en')} items), ` +
  `above the limit of ${MAX_STEPS.toLocaleString('en')}: nest fewer comprehensions over lists`;

const tooDeep = `is nested too deeply (more than ${MAX_NESTING} levels of operators and brackets)`;

function describe(error: unknown, expression: string): [string, number, number] {
  const e = error as { message?: string; node?: { start?: number; end?: number; pos?: number } };
  const first = (e?.message ?? String(error)).split('\n')[0];
  const start = e?.node?.start ?? e?.node?.pos ?? 0;
  let end = e?.node?.end ?? start + 1;
  const key = /^No such key: (\w+)/.exec(first);
  if (key) {
    // Point at the attribute name itself.
    const at = expression.indexOf(key[1], e?.node?.pos ?? start);
    return [
      `unknown attribute "${key[1]}": the workspace's attribute catalogue has no such attribute`,
      at >= 0 ? at : start,
      at >= 0 ? at + key[1].length : end,
    ];
  }
  if (end <= start) end = Math.min(expression.length, start + 1);
  return [first.replace(/^no such overload/, 'type error: no such operator'), start, end];
}

const checkers = new Map<string, ExpressionChecker>();

/** The checker for a catalogue, cached by its content (allowed values included: compile() checks them). */
export async function checkerFor(catalogue: AttributeSpec[]): Promise<ExpressionChecker> {
  await loadCel();
  const key = catalogue
    .map((a) => `${a.name}:${a.type}:${JSON.stringify(a.allowedValues ?? [])}`)
    .sort()
    .join(',');
  let checker = checkers.get(key);
  if (!checker) {
    checker = new ExpressionChecker(catalogue);
    if (checkers.size > 100) checkers.clear();
    checkers.set(key, checker);
  }
  return checker;
}
