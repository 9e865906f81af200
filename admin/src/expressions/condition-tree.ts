/**
 * The visual builder's model of a condition, printed to CEL. Pure: no React,
 * no API, so the conversion is unit-tested without a browser.
 *
 * A tree parsed from text (condition-parse.ts) keeps how it was written: each
 * condition its own text, each group the text between its children and its
 * brackets. Printing an unedited tree gives the text back exactly; an edit
 * drops the text of the condition edited only, so the rest of the expression
 * stays as it was written. A new or edited condition is printed in one
 * canonical form, which the parser reads back to the same tree.
 */
export type AttributeType = 'BOOL' | 'INT' | 'NUMBER' | 'STRING' | 'STRING_LIST';

export interface AttributeInfo {
  name: string;
  type: AttributeType;
  allowedValues?: string[];
  unit?: string | null;
  description?: string | null;
}

export type Operator =
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'in'
  | 'notIn'
  | 'isTrue'
  | 'isFalse'
  | 'contains'
  | 'notContains'
  | 'containsAny'
  | 'isEmpty'
  | 'isNotEmpty'
  | 'isKnown'
  | 'isMissing';

export type Literal =
  { kind: 'string'; value: string } | { kind: 'number'; text: string } | { kind: 'bool'; value: boolean };

export interface Condition {
  kind: 'condition';
  /** '' until the user picks one. */
  attribute: string;
  /** '' until there is an attribute. */
  operator: Operator | '';
  values: Literal[];
  /** containsAny: the name of the item variable (`account.tools.exists(t, t in [...])`). */
  variable?: string;
  /** The text as written, kept until the condition is edited. */
  text?: string;
}

export type Combinator = '&&' | '||';

export interface Group {
  kind: 'group';
  combinator: Combinator;
  children: Node[];
  /** The text between children as written (`' && '`, `'\n  && '`); a missing one prints canonically. */
  separators?: string[];
  /** The text before the first and after the last child: brackets and spaces as written. */
  open?: string;
  close?: string;
  /** A group without children as written: '' or `true` (a rule that always holds). */
  text?: string;
}

export type Node = Condition | Group;

/** The operators the builder offers for each type, in menu order, and what each needs as values. */
const NUMERIC: Operator[] = ['>=', '>', '<=', '<', '==', '!='];
const PRESENCE: Operator[] = ['isKnown', 'isMissing'];
export const OPERATORS: Record<AttributeType, Operator[]> = {
  INT: [...NUMERIC, ...PRESENCE],
  NUMBER: [...NUMERIC, ...PRESENCE],
  STRING: ['==', '!=', 'in', 'notIn', ...PRESENCE],
  BOOL: ['isTrue', 'isFalse', ...PRESENCE],
  STRING_LIST: ['contains', 'notContains', 'containsAny', 'isEmpty', 'isNotEmpty', ...PRESENCE],
};
export type Arity = 'none' | 'one' | 'many';
export const ARITY: Record<Operator, Arity> = {
  '==': 'one',
  '!=': 'one',
  '<': 'one',
  '<=': 'one',
  '>': 'one',
  '>=': 'one',
  in: 'many',
  notIn: 'many',
  isTrue: 'none',
  isFalse: 'none',
  contains: 'one',
  notContains: 'one',
  containsAny: 'many',
  isEmpty: 'none',
  isNotEmpty: 'none',
  isKnown: 'none',
  isMissing: 'none',
};

export const emptyCondition = (): Condition => ({ kind: 'condition', attribute: '', operator: '', values: [] });

const INT_TEXT = /^-?\d+$/;
const NUMBER_TEXT = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** A number as typed, as the literal CEL wants for the type (a double for NUMBER: `5` is `5.0`); null if it is none. */
export function numberLiteral(input: string, type: AttributeType): Literal | null {
  const text = input.trim();
  if (type === 'INT') return INT_TEXT.test(text) ? { kind: 'number', text } : null;
  if (!NUMBER_TEXT.test(text)) return null;
  return { kind: 'number', text: INT_TEXT.test(text) ? `${text}.0` : text };
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function printLiteral(l: Literal): string {
  if (l.kind === 'number') return l.text;
  if (l.kind === 'bool') return String(l.value);
  // eslint-disable-next-line no-control-regex -- control characters are what a CEL string literal must escape
  return `'${l.value.replace(/[\\'\n\r\t]|[\u0000-\u001f\u007f]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}

const list = (values: Literal[]) => `[${values.map(printLiteral).join(', ')}]`;

/** Why a condition cannot be printed yet, or undefined when it can. */
export function incomplete(c: Condition): string | undefined {
  if (!c.attribute) return 'pick an attribute';
  if (!c.operator) return 'pick what to compare';
  const arity = ARITY[c.operator];
  if (arity === 'one' && c.values.length !== 1) return 'give a value';
  if (arity === 'many' && !c.values.length) return 'give at least one value';
  return undefined;
}

/** A condition in the canonical form. */
export function printCondition(c: Condition): string {
  const a = `account.${c.attribute}`;
  const [first] = c.values;
  switch (c.operator) {
    case 'in':
      return `${a} in ${list(c.values)}`;
    case 'notIn':
      return `!(${a} in ${list(c.values)})`;
    case 'isTrue':
      return a;
    case 'isFalse':
      return `!${a}`;
    case 'contains':
      return `${printLiteral(first)} in ${a}`;
    case 'notContains':
      return `!(${printLiteral(first)} in ${a})`;
    case 'containsAny': {
      const v = c.variable ?? 'v';
      return `${a}.exists(${v}, ${v} in ${list(c.values)})`;
    }
    case 'isEmpty':
      return `size(${a}) == 0`;
    case 'isNotEmpty':
      return `size(${a}) > 0`;
    case 'isKnown':
      return `has(${a})`;
    case 'isMissing':
      return `!has(${a})`;
    default:
      return `${a} ${c.operator} ${printLiteral(first)}`;
  }
}

export class IncompleteError extends Error {
  constructor(
    readonly path: number[],
    reason: string,
  ) {
    super(`Condition ${conditionLabel(path)}: ${reason}`);
  }
}

/** How the builder numbers a node for people: 1, 2, 2.1 … */
export const conditionLabel = (path: number[]) => path.map((i) => i + 1).join('.');

function printNode(node: Node, path: number[], parent: Combinator): string {
  if (node.kind === 'condition') {
    if (node.text !== undefined) return node.text;
    const why = incomplete(node);
    if (why) throw new IncompleteError(path, why);
    return printCondition(node);
  }
  if (!node.children.length) throw new IncompleteError(path, 'an empty group: add a condition or remove it');
  const body = printChildren(node, path);
  // A group written without brackets (it was only precedence) needs them where it now binds looser than its parent.
  const bare = node.open !== undefined && !node.open.includes('(');
  if (bare && !(node.combinator === '||' && parent === '&&' && node.children.length > 1))
    return node.open + body + node.close;
  return bare || node.open === undefined ? `(${body})` : node.open + body + (node.close ?? '');
}

function printChildren(g: Group, path: number[]): string {
  return g.children
    .map((c, i) => (i ? (g.separators?.[i - 1] ?? ` ${g.combinator} `) : '') + printNode(c, [...path, i], g.combinator))
    .join('');
}

/** The CEL text of a tree; throws an IncompleteError naming the first condition that is not finished. */
export function printTree(root: Group): string {
  if (!root.children.length) return root.text ?? '';
  return (root.open ?? '') + printChildren(root, []) + (root.close ?? '');
}

/** The text of a tree, or why it has none yet. */
export function toCel(root: Group): { text: string } | { incomplete: string; path: number[] } {
  try {
    return { text: printTree(root) };
  } catch (e) {
    if (e instanceof IncompleteError) return { incomplete: e.message, path: e.path };
    throw e;
  }
}
