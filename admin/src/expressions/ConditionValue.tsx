import { useState } from 'react';
import { Autocomplete, TextField } from '@mui/material';
import { NativeSelect } from '../fit-score/common';
import { ARITY, type AttributeInfo, type Condition, type Literal, numberLiteral } from './condition-tree';

const WIDTH = { flex: '1 1 200px', minWidth: 160 };
const str = (value: string): Literal => ({ kind: 'string', value });
const shownValue = (l: Literal | undefined) => (l?.kind === 'string' ? l.value : l?.kind === 'number' ? l.text : '');

/**
 * The value(s) of a condition, as the attribute's catalogue entry says: a
 * number with its unit, one of the allowed values, several of them, or free
 * text (a list of free texts for "is one of" on an open set). An empty or
 * unreadable entry leaves the condition without a value: it is not written.
 */
export function ConditionValue({
  attribute,
  condition,
  onChange,
}: {
  attribute: AttributeInfo;
  condition: Condition;
  onChange: (values: Literal[]) => void;
}) {
  const arity = condition.operator ? ARITY[condition.operator] : 'none';
  const allowed = attribute.allowedValues ?? [];
  const unit = attribute.unit ? ` (${attribute.unit})` : '';
  if (arity === 'none') return null;
  if (arity === 'many') {
    const values = condition.values.map(shownValue);
    return (
      <Autocomplete
        multiple
        freeSolo={!allowed.length}
        options={allowed}
        value={values}
        onChange={(_, picked) => onChange([...new Set(picked.map((v) => v.trim()).filter(Boolean))].map(str))}
        size="small"
        renderInput={(params) => (
          <TextField
            {...params}
            label={`Values${unit}`}
            placeholder={allowed.length ? 'Choose' : 'Type a value, then Enter'}
          />
        )}
        sx={{ ...WIDTH, flexBasis: 280 }}
      />
    );
  }
  const [first] = condition.values;
  if (attribute.type === 'INT' || attribute.type === 'NUMBER')
    return <NumberValue attribute={attribute} literal={first} onChange={onChange} label={`Value${unit}`} />;
  if (allowed.length) {
    const current = shownValue(first);
    const options = [
      { value: '', label: 'Choose a value', disabled: true },
      ...(current && !allowed.includes(current) ? [{ value: current, label: `${current} (not allowed)` }] : []),
      ...allowed.map((v) => ({ value: v, label: v })),
    ];
    return (
      <NativeSelect
        label={`Value${unit}`}
        value={current}
        options={options}
        onChange={(v) => onChange(v ? [str(v)] : [])}
        sx={WIDTH}
      />
    );
  }
  return (
    <TextField
      label={`Value${unit}`}
      value={shownValue(first)}
      onChange={(e) => onChange(e.target.value ? [str(e.target.value)] : [])}
      size="small"
      sx={WIDTH}
    />
  );
}

/** A number as typed; the condition gets the literal its type wants (5 is 5.0 for a NUMBER) once it reads as one. */
function NumberValue({
  attribute,
  literal,
  onChange,
  label,
}: {
  attribute: AttributeInfo;
  literal: Literal | undefined;
  onChange: (values: Literal[]) => void;
  label: string;
}) {
  const [input, setInput] = useState(shownValue(literal));
  // What was typed stays shown while it means the condition's value; another value (text typed above) replaces it.
  const typed = numberLiteral(input, attribute.type);
  const same = (typed?.kind === 'number' ? typed.text : null) === (literal?.kind === 'number' ? literal.text : null);
  const shown = same ? input : shownValue(literal);
  const bad = shown.trim() !== '' && !numberLiteral(shown, attribute.type);
  return (
    <TextField
      label={label}
      value={shown}
      onChange={(e) => {
        setInput(e.target.value);
        const l = numberLiteral(e.target.value, attribute.type);
        onChange(l ? [l] : []);
      }}
      error={bad}
      helperText={bad ? (attribute.type === 'INT' ? 'a whole number' : 'a number, e.g. 2500000 or 0.3') : undefined}
      size="small"
      slotProps={{ htmlInput: { inputMode: 'decimal' } }}
      sx={WIDTH}
    />
  );
}
