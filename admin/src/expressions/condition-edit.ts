import {
  ARITY,
  type AttributeInfo,
  type Combinator,
  type Condition,
  conditionLabel,
  emptyCondition,
  type Group,
  type Literal,
  type Node,
  OPERATORS,
} from './condition-tree';

/**
 * The builder's edits, as pure functions from tree to tree (a path is the
 * child indices from the root). Only what is edited loses its written text;
 * everything else prints as it was written.
 */

/** The group at a path rebuilt by `change`, with every group on the way copied (their text kept). */
function atGroup(root: Group, path: number[], change: (g: Group) => Group): Group {
  if (!path.length) return change(root);
  const [i, ...rest] = path;
  const child = root.children[i];
  if (child?.kind !== 'group') throw new Error(`no group at ${conditionLabel(path)}`);
  const children = [...root.children];
  children[i] = atGroup(child, rest, change);
  return { ...root, children };
}

export function updateCondition(root: Group, path: number[], patch: Partial<Omit<Condition, 'kind'>>): Group {
  const i = path[path.length - 1];
  return atGroup(root, path.slice(0, -1), (g) => {
    const old = g.children[i];
    if (old?.kind !== 'condition') throw new Error(`no condition at ${conditionLabel(path)}`);
    const children = [...g.children];
    children[i] = { ...old, ...patch, text: undefined };
    return { ...g, children };
  });
}

/** A condition on another attribute starts with that type's first operator and no value: the user picks it. */
export function chooseAttribute(root: Group, path: number[], attribute: AttributeInfo | undefined): Group {
  return updateCondition(root, path, {
    attribute: attribute?.name ?? '',
    operator: attribute ? OPERATORS[attribute.type][0] : '',
    values: [],
    variable: undefined,
  });
}

/** Another operator keeps the values it can take (one of several, or several of one). */
export function chooseOperator(
  root: Group,
  path: number[],
  condition: Condition,
  operator: Condition['operator'],
): Group {
  const arity = operator ? ARITY[operator] : 'none';
  const values: Literal[] = arity === 'none' ? [] : arity === 'one' ? condition.values.slice(0, 1) : condition.values;
  return updateCondition(root, path, { operator, values });
}

export function addCondition(root: Group, groupPath: number[]): Group {
  return atGroup(root, groupPath, (g) => ({ ...g, text: undefined, children: [...g.children, emptyCondition()] }));
}

/** A nested group joins its conditions the other way (an "or" inside an "and"), starting with one new condition. */
export function addGroup(root: Group, groupPath: number[]): Group {
  return atGroup(root, groupPath, (g) => ({
    ...g,
    text: undefined,
    children: [
      ...g.children,
      { kind: 'group', combinator: g.combinator === '&&' ? '||' : '&&', children: [emptyCondition()] },
    ],
  }));
}

/** Removes a node and the separator before it (after it, for the first); a nested group left empty goes too. */
export function removeNode(root: Group, path: number[]): Group {
  const i = path[path.length - 1];
  const parentPath = path.slice(0, -1);
  const next = atGroup(root, parentPath, (g) => {
    const separators = g.separators ? [...g.separators] : undefined;
    separators?.splice(Math.max(i - 1, 0), 1);
    return { ...g, text: undefined, separators, children: g.children.filter((_, j) => j !== i) };
  });
  let parent: Node = next;
  for (const j of parentPath) parent = (parent as Group).children[j];
  return parentPath.length && !(parent as Group).children.length ? removeNode(next, parentPath) : next;
}

/** Joins a group's conditions the other way; the text between them keeps its spacing. */
export function setCombinator(root: Group, groupPath: number[], combinator: Combinator): Group {
  return atGroup(root, groupPath, (g) => ({
    ...g,
    combinator,
    separators: g.separators?.map((s) => s.replace(/&&|\|\|/, combinator)),
  }));
}

/** Why the catalogue does not let the builder show a tree (an unknown attribute, an operator or value of another type). */
export function unfit(root: Group, catalogue: AttributeInfo[]): string | undefined {
  const byName = new Map(catalogue.map((a) => [a.name, a]));
  const check = (node: Node): string | undefined => {
    if (node.kind === 'group') return node.children.map(check).find(Boolean);
    if (!node.attribute) return undefined;
    const a = byName.get(node.attribute);
    if (!a) return `the catalogue has no attribute "${node.attribute}"`;
    if (node.operator && !OPERATORS[a.type].includes(node.operator))
      return `the builder does not compare ${a.name} (${a.type.toLowerCase()}) that way`;
    const kind = a.type === 'INT' || a.type === 'NUMBER' ? 'number' : a.type === 'BOOL' ? 'bool' : 'string';
    const wrong = node.values.find(
      (v) => v.kind !== kind || (a.type === 'INT' && v.kind === 'number' && !/^-?\d+$/.test(v.text)),
    );
    return wrong ? `${a.name} is compared with a value of another type` : undefined;
  };
  return check(root);
}
