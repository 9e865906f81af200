import { useState } from 'react';
import { Alert, Box, Button, IconButton, LinearProgress, Tooltip } from '@mui/material';
import DeleteIcon from '@mui/icons-material/DeleteOutline';
import { NativeSelect, useCatalogue } from '../fit-score/common';
import { attributeLabel } from '../attribute-label';
import {
  addCondition,
  addGroup,
  chooseAttribute,
  chooseOperator,
  removeNode,
  setCombinator,
  unfit,
  updateCondition,
} from './condition-edit';
import { parseCondition } from './condition-parse';
import {
  type AttributeInfo,
  type AttributeType,
  type Combinator,
  type Condition,
  conditionLabel,
  type Group,
  type Operator,
  OPERATORS,
  toCel,
} from './condition-tree';
import { ConditionValue } from './ConditionValue';

const NUMERIC_LABELS: Partial<Record<Operator, string>> = {
  '>=': '≥ at least',
  '>': '> more than',
  '<=': '≤ at most',
  '<': '< less than',
  '==': '= equals',
  '!=': '≠ does not equal',
};
const LABELS: Record<Operator, string> = {
  '>=': '≥',
  '>': '>',
  '<=': '≤',
  '<': '<',
  '==': 'is',
  '!=': 'is not',
  in: 'is one of',
  notIn: 'is not one of',
  isTrue: 'is true',
  isFalse: 'is false',
  contains: 'contains',
  notContains: 'does not contain',
  containsAny: 'contains any of',
  isEmpty: 'is empty',
  isNotEmpty: 'is not empty',
  isKnown: 'is known',
  isMissing: 'is missing',
};
const operatorLabel = (op: Operator, type: AttributeType) =>
  ((type === 'INT' || type === 'NUMBER') && NUMERIC_LABELS[op]) || LABELS[op];

interface Editing {
  catalogue: AttributeInfo[];
  edit: (change: (root: Group) => Group) => void;
}

/**
 * Simple conditions as a visual builder over the CEL text. Opening it changes
 * nothing; only an edit writes, and it rewrites only the condition edited
 * (condition-tree.ts). A condition without an attribute, a comparison or a
 * value is not written until it has them. An expression the builder cannot
 * show faithfully is left alone, and said so.
 */
export default function ConditionBuilder({
  expression,
  onChange,
}: {
  expression: string;
  onChange: (text: string) => void;
}) {
  const { data: catalogue, isPending } = useCatalogue();
  // The tree, the text it stands for, and a generation that changes only when text typed above is read again.
  const [state, setState] = useState(() => ({ source: expression, parsed: parseCondition(expression), generation: 0 }));
  if (state.source !== expression)
    setState({ source: expression, parsed: parseCondition(expression), generation: state.generation + 1 });

  if (isPending || !catalogue) return <LinearProgress aria-label="Loading the attribute catalogue" />;
  const parsed = state.parsed;
  const why = 'unsupported' in parsed ? parsed.unsupported : unfit(parsed.tree, catalogue);
  if (why || !('tree' in parsed))
    return (
      <Alert severity="info" sx={{ mt: 1 }}>
        The builder cannot show it faithfully ({why}), so it leaves it alone. Edit it as text.
      </Alert>
    );
  const tree = parsed.tree;
  const out = toCel(tree);
  const editing: Editing = {
    catalogue,
    edit: (change) => {
      const next = change(tree);
      const printed = toCel(next);
      const text = 'text' in printed ? printed.text : expression;
      setState({ source: text, parsed: { tree: next }, generation: state.generation });
      if (text !== expression) onChange(text);
    },
  };
  return (
    <Box sx={{ mt: 1 }} data-testid="condition-builder" key={state.generation}>
      <GroupView group={tree} path={[]} editing={editing} />
      {'incomplete' in out && (
        <Alert severity="warning" role="status" sx={{ mt: 1 }}>
          {out.incomplete}. The expression above changes once it is complete.
        </Alert>
      )}
    </Box>
  );
}

function GroupView({ group, path, editing }: { group: Group; path: number[]; editing: Editing }) {
  const label = path.length ? `Group ${conditionLabel(path)}` : 'Conditions';
  return (
    <Box
      role="group"
      aria-label={label}
      sx={{
        display: 'flex',
        flexDirection: 'column',
        gap: 1.5,
        ...(path.length && { pl: 2, borderLeft: 2, borderColor: 'divider' }),
      }}
    >
      {group.children.length > 1 && (
        <NativeSelect
          label={path.length ? `${label}: join with` : 'Join with'}
          value={group.combinator}
          options={[
            { value: '&&', label: 'all of these hold (and)' },
            { value: '||', label: 'any of these holds (or)' },
          ]}
          onChange={(v) => editing.edit((root) => setCombinator(root, path, v as Combinator))}
          sx={{ maxWidth: 320 }}
        />
      )}
      {group.children.map((child, i) =>
        child.kind === 'group' ? (
          <GroupView key={i} group={child} path={[...path, i]} editing={editing} />
        ) : (
          <ConditionRow key={i} condition={child} path={[...path, i]} editing={editing} />
        ),
      )}
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }}>
        <Button size="small" onClick={() => editing.edit((root) => addCondition(root, path))}>
          + Condition
        </Button>
        <Button size="small" onClick={() => editing.edit((root) => addGroup(root, path))}>
          + Group
        </Button>
        {path.length > 0 && (
          <Button size="small" color="error" onClick={() => editing.edit((root) => removeNode(root, path))}>
            Remove {label.toLowerCase()}
          </Button>
        )}
      </Box>
    </Box>
  );
}

function ConditionRow({ condition, path, editing }: { condition: Condition; path: number[]; editing: Editing }) {
  const label = `Condition ${conditionLabel(path)}`;
  const attribute = editing.catalogue.find((a) => a.name === condition.attribute);
  return (
    <Box role="group" aria-label={label} sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, alignItems: 'flex-start' }}>
      <NativeSelect
        label="Attribute"
        value={condition.attribute}
        options={[
          { value: '', label: 'Choose an attribute', disabled: true },
          ...editing.catalogue.map((a) => ({ value: a.name, label: attributeLabel(a) })),
        ]}
        onChange={(name) =>
          editing.edit((root) =>
            chooseAttribute(
              root,
              path,
              editing.catalogue.find((a) => a.name === name),
            ),
          )
        }
        sx={{ flex: '1 1 220px', minWidth: 180 }}
      />
      {attribute && (
        <NativeSelect
          label="Comparison"
          value={condition.operator}
          options={OPERATORS[attribute.type].map((op) => ({ value: op, label: operatorLabel(op, attribute.type) }))}
          onChange={(op) => editing.edit((root) => chooseOperator(root, path, condition, op as Operator))}
          sx={{ flex: '0 1 180px', minWidth: 140 }}
        />
      )}
      {attribute && (
        <ConditionValue
          attribute={attribute}
          condition={condition}
          onChange={(values) => editing.edit((root) => updateCondition(root, path, { values }))}
        />
      )}
      <Tooltip title={`Remove ${label.toLowerCase()}`}>
        <IconButton
          aria-label={`Remove ${label.toLowerCase()}`}
          onClick={() => editing.edit((root) => removeNode(root, path))}
        >
          <DeleteIcon />
        </IconButton>
      </Tooltip>
    </Box>
  );
}
